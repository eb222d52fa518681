using CallControl.Examples.CustomFlow;
using CallControl.Grains.Flows;
using CallControl.Silo;

// CallControl with one flow of our own: routes with flow "desk-mobile-voicemail" ring the desk phone, then the
// mobile, then voicemail. Everything else (SIP, legs, CDRs, clustering, configuration keys) is the product's.
var builder = CallControlSilo.CreateBuilder(args);
builder.Services.AddCallFlow<DeskMobileVoicemailFlow>(DeskMobileVoicemailFlow.Name);
return await CallControlSilo.RunAsync(builder);
