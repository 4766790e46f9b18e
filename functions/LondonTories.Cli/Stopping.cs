using System.Runtime.InteropServices;

namespace LondonTories.Cli;

/// <summary>
/// What Ctrl+C (SIGINT) and a request to stop (SIGTERM: docker stop, systemd) do to a running command.
/// The first stops it between its steps: a publish killed outright kept its folder, or its storage
/// lease, from the next run for a while. A second Ctrl+C quits at once, for the one who will not wait.
/// </summary>
public sealed class Stopping(CancellationTokenSource cancellation, TextWriter stderr)
{
    private readonly Lock _lock = new();

    /// <summary>The signal that first asked the command to stop, or null while none has.</summary>
    public PosixSignal? StoppedBy { get; private set; }

    /// <summary>
    /// Whether the process goes on while the command stops (true), or the signal ends it at once, as
    /// it would have with no handler (false: the shell then reports the command as interrupted).
    /// </summary>
    public bool Handle(PosixSignal signal)
    {
        lock (_lock)
        {
            if (StoppedBy is not null && signal == PosixSignal.SIGINT)
            {
                return false;
            }

            // A request to stop is repeated by whatever sent it, which kills the process itself when it will wait no more.
            if (StoppedBy is null)
            {
                StoppedBy = signal;
                if (signal == PosixSignal.SIGINT)
                {
                    stderr.WriteLine("Stopping after the current step; press Ctrl+C again to quit at once.");
                }
            }
        }

        cancellation.Cancel();
        return true;
    }
}
