using CallControl.Silo;

// A silo. With no CallControl:Cluster:Redis and no CallControl:Storage:ConnectionString it is the embedded
// default: localhost clustering, in-memory state, a JSON-lines CDR log and the SIP edge co-hosted.
// Configuration files are read from beside the binary; relative paths (the CDR log) from the working directory.
// A host of one's own does the same with its flows added: examples/CustomFlow.
return await CallControlSilo.RunAsync(CallControlSilo.CreateBuilder(args));
