using System.Runtime.InteropServices;
using LondonTories.Cli;

using var cancellation = new CancellationTokenSource();
var stopping = new Stopping(cancellation, Console.Error);
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = stopping.Handle(context.Signal));
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => context.Cancel = stopping.Handle(context.Signal));
var code = await CliApp.RunAsync(args, Console.Out, Console.Error, cancellation.Token);
return code == ExitCodes.Stopped && stopping.StoppedBy == PosixSignal.SIGTERM ? ExitCodes.Terminated : code;
