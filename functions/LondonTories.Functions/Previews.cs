using System.Globalization;
using System.Text;
using System.Text.Json;
using LondonTories.Publishing.Approvals;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Preview;
using LondonTories.Publishing.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace LondonTories.Functions;

/// <summary>
/// POST /api/previews with a function key: a signed, expiring, read-only link to the hosted preview of
/// one seat, language and moment, of the content as it stands or with a draft page in place. JSON
/// <c>{"seat": "battersea", "language": "bn", "at": "2026-12-07T09:00", "hours": 72, "path": "pages/x.md", "markdown": "…"}</c>;
/// only <c>seat</c> is required. Signed-in editors ask through <see cref="EditorPreviews"/>.
/// </summary>
public sealed class Previews(SiteStorage storage, Publisher publisher, PreviewKeys keys, TimeProvider clock, ILogger<Previews> logger)
{
    [Function(nameof(Previews))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Function, "post", Route = "previews")] HttpRequest request, CancellationToken cancellationToken) =>
        CreateAsync(request, storage, publisher, keys, clock, null, logger, cancellationToken);

    /// <summary>
    /// Makes the link; <paramref name="editor"/>, when given, must be listed in site.yaml as an editor or approver.
    /// A caller with a function key runs the app and is told why the key cannot be read; an editor is told to try later.
    /// </summary>
    internal static async Task<IActionResult> CreateAsync(
        HttpRequest request, SiteStorage storage, Publisher publisher, PreviewKeys keys, TimeProvider clock, SignedInUser? editor, ILogger logger, CancellationToken cancellationToken)
    {
        // A draft page as JSON text: its escapes may double it.
        if (await RequestBodies.BoundAsync(request, (2 * ContentFile.MaxBytes) + (64 * 1024), cancellationToken).ConfigureAwait(false) is { } tooLarge)
        {
            return tooLarge;
        }

        JsonElement body;
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
            body = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return HttpAnswers.Problem(request, StatusCodes.Status400BadRequest, "Bad Request", "Send JSON such as {\"seat\": \"battersea\"}.");
        }

        string? Field(string name) => body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var content = await publisher.LoadAsync(storage.Content, cancellationToken).ConfigureAwait(false);
        if (editor is not null && content.Site.Approval.EditorName(editor.ObjectId) is null)
        {
            return HttpAnswers.Problem(request, StatusCodes.Status403Forbidden, "Forbidden",
                $"{editor.Name ?? editor.ObjectId} ({editor.ObjectId}) is not an editor or approver in site.yaml; ask the site's editors to add them under 'editors'.");
        }

        var (links, problem) = await keys.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (links is null)
        {
            return editor is null
                ? HttpAnswers.Problem(request, StatusCodes.Status503ServiceUnavailable, "Service Unavailable", problem!)
                : HttpAnswers.KeyUnavailable(request, logger, request.Path.Value ?? string.Empty, problem!, "Preview links are not available just now. Try again later; the app's operators can see why in its log.");
        }

        // Taken as left out, a field of another type would make a link to another moment, language or page than the one asked for.
        string[] texts = ["seat", "language", "at", "path", "markdown"];
        if (body.ValueKind == JsonValueKind.Object
            && texts.FirstOrDefault(name => body.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null)) is { } notText)
        {
            return HttpAnswers.Problem(request, StatusCodes.Status400BadRequest, "Bad Request", $"{notText}: give it as a string, e.g. {{\"seat\": \"battersea\", \"at\": \"2026-12-07T09:00\"}}.");
        }

        if (Field("seat") is not { Length: > 0 } seat)
        {
            return HttpAnswers.Problem(request, StatusCodes.Status400BadRequest, "Bad Request", "Say which constituency the link shows, e.g. {\"seat\": \"battersea\"}.");
        }

        if (content.Constituencies.FirstOrDefault(s => s.Slug == seat) is not { } constituency)
        {
            // Told to say which seat, a caller who did would not know what was wrong with it. A seat's
            // name is a common slip for its slug; a text far longer than any slug is compared with none.
            var suggestion = seat.Length > 200 ? null
                : content.Constituencies.FirstOrDefault(s => string.Equals(s.Name, seat.Trim(), StringComparison.OrdinalIgnoreCase))?.Slug
                  ?? DidYouMean.Suggest(seat, content.Constituencies.Select(s => s.Slug));
            return HttpAnswers.Problem(request, StatusCodes.Status400BadRequest, "Bad Request", suggestion is null
                ? "seat: no constituency has that slug; name one by its slug, e.g. {\"seat\": \"battersea\"}."
                : $"seat: no constituency has that slug. {DidYouMean.Hint(suggestion)}");
        }

        // A link in a language the seat does not publish would only ever open on a 404.
        var language = Field("language") is { Length: > 0 } asked ? asked : content.Site.Language;
        if (language != content.Site.Language && !constituency.Languages.Contains(language))
        {
            var published = string.Join(", ", new[] { content.Site.Language }.Concat(constituency.Languages.Where(l => l != content.Site.Language)));
            return HttpAnswers.Problem(request, StatusCodes.Status400BadRequest, "Bad Request", $"language: {seat} publishes in {published} only.");
        }
        var now = clock.GetUtcNow();
        var at = now;
        if (Field("at") is { } atText)
        {
            if (SiteClock.Parse(atText, content.Site.TimeZone, out var error) is not { } parsed)
            {
                return HttpAnswers.Problem(request, StatusCodes.Status400BadRequest, "Bad Request", $"at: {error}");
            }

            at = parsed;
        }

        var lifetime = PreviewLinks.DefaultLifetime;
        if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("hours", out var hours))
        {
            // Compared as hours, not as a TimeSpan: a number too large for one would throw.
            // A lifetime of a fraction of a second makes a link that has expired before anybody can open it.
            if (hours.ValueKind != JsonValueKind.Number || !hours.TryGetDouble(out var h) || h < PreviewLinks.MinLifetime.TotalHours || h > PreviewLinks.MaxLifetime.TotalHours)
            {
                return HttpAnswers.Problem(request, StatusCodes.Status400BadRequest, "Bad Request",
                    string.Create(CultureInfo.InvariantCulture, $"hours: a link lasts at least a minute and at most {PreviewLinks.MaxLifetime.TotalHours:0} hours."));
            }

            lifetime = TimeSpan.FromHours(h);
        }

        string? draftPath = null;
        string? draftSha = null;
        // A path alone would make a link to the content as it stands, which the caller expected to show their draft.
        if (Field("markdown") is null && Field("path") is { Length: > 0 })
        {
            return HttpAnswers.Problem(request, StatusCodes.Status400BadRequest, "Bad Request",
                "path: it says where a draft goes, and no markdown was sent; send the page's text as markdown too, or leave path out for a link to the content as it stands.");
        }

        if (Field("markdown") is { } markdown)
        {
            draftPath = Field("path") ?? "pages/preview.md";
            var bytes = Encoding.UTF8.GetBytes(markdown);
            if (!draftPath.StartsWith("pages/", StringComparison.Ordinal) || !draftPath.EndsWith(".md", StringComparison.Ordinal) || draftPath.Contains("..", StringComparison.Ordinal))
            {
                return HttpAnswers.Problem(request, StatusCodes.Status400BadRequest, "Bad Request", "path: a draft is a page under pages/, e.g. pages/housing.md.");
            }

            if (bytes.Length > ContentFile.MaxBytes)
            {
                return HttpAnswers.Problem(request, StatusCodes.Status413PayloadTooLarge, "Payload Too Large", $"A page may be at most {ContentFile.MaxBytes / 1024} KiB.");
            }

            // The link shows the draft exactly as sent, so a draft the content cannot hold would open on
            // its errors alone for as long as the link lasts: they are told to the asker instead. Errors
            // the content has without the draft are left to the editors who are fixing them.
            var before = content.Diagnostics.Where(d => d.IsError).Select(d => d.ToString()).ToHashSet(StringComparer.Ordinal);
            var withDraft = await publisher.LoadAsync(new DraftInPlace(storage.Content, new ContentFile(draftPath, bytes)), cancellationToken).ConfigureAwait(false);
            var caused = withDraft.Diagnostics.Where(d => d.IsError).Select(d => d.ToString()).Where(d => !before.Contains(d)).ToArray();
            if (caused.Length > 0)
            {
                return HttpAnswers.Problem(request, StatusCodes.Status422UnprocessableEntity, "Unprocessable Content",
                    "The draft has errors, so a link would show them and nothing else; fix them and ask again.",
                    new Dictionary<string, object?> { ["diagnostics"] = caused });
            }

            draftSha = await HostedPreview.KeepDraftAsync(storage.Blobs, bytes, cancellationToken).ConfigureAwait(false);
        }

        var grant = new PreviewGrant(seat, language, at, now + lifetime, draftPath, draftSha);
        var url = $"{request.Scheme}://{request.Host}/api/previews/{links.Sign(grant)}/";
        return new JsonResult(new { url, expires = grant.Expires.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), seat, language, at })
        {
            StatusCode = StatusCodes.Status201Created,
        };
    }

    /// <summary>The content as it stands with the draft in place of the file at its path, as a link shows it.</summary>
    private sealed class DraftInPlace(IContentSource content, ContentFile draft) : IContentSource
    {
        public string DisplayRoot => content.DisplayRoot;

        public async Task<IReadOnlyList<ContentFile>> ReadAllAsync(CancellationToken cancellationToken) =>
            [.. (await content.ReadAllAsync(cancellationToken).ConfigureAwait(false)).Where(f => f.Path != draft.Path), draft];
    }
}
