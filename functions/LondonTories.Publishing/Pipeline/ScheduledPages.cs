using System.Collections.Immutable;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Rendering;

namespace LondonTories.Publishing.Pipeline;

/// <summary>
/// The check of pages scheduled for later: each is planned and rendered now as it will be when it
/// falls due, among the pages due then. An error found only at that moment would stop every publish
/// from then on, the timer's included, while nobody is there to fix it; found now, it is reported
/// with the time it falls due.
/// </summary>
public sealed class ScheduledPages(Planner planner, SiteRenderer renderer)
{
    /// <summary>
    /// How many of the next moments a publish looks ahead to. Each costs a plan of the whole site, and
    /// a site that schedules a page a day would otherwise pay for the year on every run; a later page
    /// is checked by the runs as its moment comes nearer, and by every validation.
    /// </summary>
    public const int MomentsAPublishChecks = 16;

    /// <param name="severity">Errors are reported with this severity: a publish goes out and warns, a validation fails.</param>
    /// <param name="moments">How many of the next moments to check; all when null.</param>
    public ImmutableArray<Diagnostic> Check(SiteContent content, DateTimeOffset now, DiagnosticSeverity severity, int? moments = null)
    {
        var due = content.Pages
            .Where(p => !p.Draft && p.PublishAt > now && !(p.ExpireAt <= p.PublishAt))
            .Select(p => p.PublishAt!.Value)
            .Distinct()
            .Order()
            .Take(moments ?? int.MaxValue)
            .ToList();
        var found = new List<Diagnostic>();
        var checkedPages = new HashSet<(string File, string Seat, string Language)>();
        foreach (var at in due)
        {
            var diagnostics = new DiagnosticBag();
            var plan = planner.Plan(content, at, diagnostics);
            if (!diagnostics.HasErrors)
            {
                var session = renderer.Begin(plan.Content, plan.Seats);
                var newlyDue = plan.Seats
                    .SelectMany(seat => seat.Editions.SelectMany(edition => edition.Pages.Select(page => (Seat: seat, Edition: edition, Page: page))))
                    .Where(p => !p.Page.File.IsDueAt(now) && checkedPages.Add((p.Page.File.Path, p.Seat.Seat.Slug, p.Edition.Language)))
                    .ToList();
                Parallel.ForEach(newlyDue, p => session.RenderPage(p.Seat, p.Edition, p.Page, diagnostics, at));
            }

            var when = SiteClock.Text(at, content.Site.TimeZone);
            found.AddRange(diagnostics.ToImmutableSorted()
                .Where(d => d.IsError)
                .Select(d => d with
                {
                    Severity = severity,
                    Hint = $"{d.Hint}{(d.Hint is null ? string.Empty : " ")}The page falls due at {when}: unless this is fixed by then, publishing stops at that time.",
                }));
        }

        // A problem the pages due at two moments share is reported at the first.
        return [.. found.DistinctBy(d => (d.Location, d.Code, d.Message))];
    }
}
