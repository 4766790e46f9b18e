using System.Runtime.InteropServices;
using LondonTories.Cli;

namespace LondonTories.Publishing.Tests.Cli;

/// <summary>What Ctrl+C and a request to stop do to a running command.</summary>
public sealed class StoppingTests
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly StringWriter _stderr = new();

    [Fact]
    public void The_first_ctrl_c_asks_the_command_to_stop_between_its_steps_and_says_how_to_quit_at_once()
    {
        var stopping = new Stopping(_cancellation, _stderr);

        Assert.True(stopping.Handle(PosixSignal.SIGINT));
        Assert.True(_cancellation.IsCancellationRequested);
        Assert.Equal(PosixSignal.SIGINT, stopping.StoppedBy);
        Assert.Contains("press Ctrl+C again to quit at once", _stderr.ToString());
    }

    [Fact]
    public void A_second_ctrl_c_lets_the_signal_end_the_process_at_once()
    {
        var stopping = new Stopping(_cancellation, _stderr);
        stopping.Handle(PosixSignal.SIGINT);

        Assert.False(stopping.Handle(PosixSignal.SIGINT));
        Assert.Equal(PosixSignal.SIGINT, stopping.StoppedBy);
    }

    [Fact]
    public void A_request_to_stop_is_answered_by_stopping_between_steps_however_often_it_comes()
    {
        // docker stop and systemd ask with SIGTERM, and kill the process themselves if it takes too long.
        var stopping = new Stopping(_cancellation, _stderr);

        Assert.True(stopping.Handle(PosixSignal.SIGTERM));
        Assert.True(stopping.Handle(PosixSignal.SIGTERM));
        Assert.True(_cancellation.IsCancellationRequested);
        Assert.Equal(PosixSignal.SIGTERM, stopping.StoppedBy);
        Assert.DoesNotContain("Ctrl+C", _stderr.ToString());
    }

    [Fact]
    public void Ctrl_c_after_a_request_to_stop_quits_at_once()
    {
        var stopping = new Stopping(_cancellation, _stderr);
        stopping.Handle(PosixSignal.SIGTERM);

        Assert.False(stopping.Handle(PosixSignal.SIGINT));
        Assert.Equal(PosixSignal.SIGTERM, stopping.StoppedBy);
    }
}
