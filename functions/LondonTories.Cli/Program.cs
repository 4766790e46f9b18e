using System.Runtime.InteropServices;
using LondonTories.Cli;

// Ctrl+C (SIGINT) and a request to stop (SIGTERM: docker stop, systemd) both stop a command between its
// steps: a publish killed outright kept its folder, or its storage lease, from the next run for a while.
using var cancellation = new CancellationTokenSource();
PosixSignal? stoppedBy = null;
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stoppedBy ??= context.Signal;
    cancellation.Cancel();
}

using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
var code = await CliApp.RunAsync(args, Console.Out, Console.Error, cancellation.Token);
return code == ExitCodes.Stopped && stoppedBy == PosixSignal.SIGTERM ? ExitCodes.Terminated : code;
