// The contracts every part of a call speaks: SipPeer, EdgeInfo, SipCommand, the CDR (Grains.Abstractions), and the
// flow API's records, whose namespace call-flow developers already use.
global using CallControl.Grains;
global using CallControl.Grains.Flows;
