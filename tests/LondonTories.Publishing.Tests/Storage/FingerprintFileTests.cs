using System.Text;
using System.Text.Json;
using LondonTories.Publishing.Approvals;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Social;
using LondonTories.Publishing.Storage;
using Xunit;

namespace LondonTories.Publishing.Tests.Storage;

public sealed class FingerprintFileTests
{
    private static readonly DateTimeOffset From = new DateTimeOffset(2026, 12, 7, 9, 30, 15, 123, TimeSpan.Zero).AddTicks(4567);

    private static CompletedRun Run() => new(
        new PublishFingerprint("ab12", From, From.AddHours(26).ToOffset(TimeSpan.FromHours(1)), 15000, 75, 30307),
        "/home/editor/content \"quoted\"",
        [
            new Diagnostic(new SourceLocation("constituencies.yaml", 72, 5), "missing-strings", "'bn' has no strings: ünïcödé, \u0627\u0631\u062f\u0648", "Create strings/bn.yaml.", DiagnosticSeverity.Warning)
            {
                Subjects = ["battersea", "east-ham"],
            },
            new Diagnostic(SourceLocation.StartOf("pages/x.md"), "late", "Line\nbreak and \t tab", Severity: DiagnosticSeverity.Warning),
        ])
    {
        Posts =
        [
            new PostOutcome("winter-fuel", "battersea", "social/2026-12-07/winter-fuel/battersea.json", PostStatus.AwaitingApproval, From.AddDays(1), "cd34")
            {
                Attempted = true,
                SentByThisRun = true,
                Error = "first line\nsecond line",
                Source = "social/winter-fuel.md",
                Approval = new ApprovalState(ApprovalStatus.Awaiting, "winter-fuel", "ef56", ["Priya Shah", "Sam Jones"])
                {
                    ApprovedBy = "Priya Shah",
                    ApprovedAt = From.AddMinutes(-5),
                    Voided = true,
                },
            },
            new PostOutcome("bus-lanes", "bromley-and-biggin-hill", "social/2026-12-08/bus-lanes/bromley-and-biggin-hill.json", PostStatus.Scheduled, From.AddDays(2), "gh78"),
        ],
    };

    // Every field the serialiser would see, so that a field read back wrong, or not at all, shows.
    private static string Shown(CompletedRun run) => JsonSerializer.Serialize(new { run.Fingerprint, run.ContentRoot, run.Diagnostics, run.Posts });

    [Fact]
    public void A_run_reads_back_as_it_was_written_every_field_and_instant_exactly()
    {
        var run = Run();

        var read = FingerprintFile.Read(FingerprintFile.Write(run, "30307:5d15c89d"));

        Assert.NotNull(read);
        Assert.Equal("30307:5d15c89d", read.Value.Files);
        Assert.Equal(Shown(run), Shown(read.Value.Run));
        Assert.Equal(From.AddHours(26).ToOffset(TimeSpan.FromHours(1)).Offset, read.Value.Run.Fingerprint.Until!.Value.Offset);
    }

    [Fact]
    public void A_run_without_an_end_a_content_folder_warnings_or_posts_reads_back_as_such()
    {
        var run = new CompletedRun(new PublishFingerprint("ab12", From, null, 0, 0, 0), null, []);

        var read = FingerprintFile.Read(FingerprintFile.Write(run, string.Empty));

        Assert.NotNull(read);
        Assert.Equal(Shown(run), Shown(read.Value.Run));
        Assert.Null(read.Value.Run.Fingerprint.Until);
        Assert.Null(read.Value.Run.ContentRoot);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("{\"Run\":{\"Digest\":\"ab\"}}")]
    [InlineData("{\"Run\":{\"Digest\":\"ab\",\"From\":\"yesterday\",\"Pages\":1,\"Seats\":1,\"Files\":1},\"Files\":\"x\"}")]
    [InlineData("{\"Run\":{\"Digest\":\"ab\",\"From\":\"2026-12-07T09:00:00+00:00\",\"Pages\":1,\"Seats\":1,\"Files\":1},\"Files\":\"x\",\"Posts\":[{\"PostId\":\"p\"}]}")]
    public void A_damaged_or_foreign_file_reads_as_no_fingerprint_rather_than_failing_the_run(string text)
    {
        Assert.Null(FingerprintFile.Read(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void A_file_cut_short_anywhere_reads_as_no_fingerprint()
    {
        var bytes = FingerprintFile.Write(Run(), "30307:5d15c89d");

        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Null(FingerprintFile.Read(bytes.AsSpan(0, length)));
        }
    }
}
