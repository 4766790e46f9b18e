using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using LondonTories.Publishing.Approvals;
using LondonTories.Publishing.Audience;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Social;
using LondonTories.Publishing.Storage;

namespace LondonTories.Publishing.Preview;

/// <summary>One answer of a hosted preview.</summary>
public sealed record PreviewAnswer(int Status, string ContentType, byte[] Bytes)
{
    public static PreviewAnswer Html(int status, string html) => new(status, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(html));

    /// <summary>Where a redirect sends the reader, within the link; null for any other answer.</summary>
    public string? Location { get; init; }
}

/// <summary>
/// A preview link's pages, rendered by the publishing pipeline exactly as a publish would render them
/// for its seat, language and moment, but in memory: nothing is written to <c>$web</c>. Every page is
/// marked "Preview: not published" and kept out of search engines, and its links stay in the preview.
/// </summary>
public sealed class HostedPreview(ContentLoader loader, Publisher publisher)
{
    public const string DraftContainer = "previews";
    public const string PostsPath = "_posts";
    public const string Banner = "Preview: not published";

    /// <summary>Keeps a draft page for links to show; named by its digest, so the same draft is kept once.</summary>
    public static async Task<string> KeepDraftAsync(BlobServiceClient blobs, byte[] bytes, CancellationToken cancellationToken)
    {
        var sha = Hashing.Sha256Hex(bytes);
        var container = blobs.GetBlobContainerClient(DraftContainer);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var blob = container.GetBlobClient($"drafts/{sha}");
        try
        {
            await blob.UploadAsync(new BinaryData(bytes),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException exception) when (exception.Status is 409 or 412)
        {
            // Kept for an earlier link, which this one may outlast: written to again, so the container's
            // lifecycle rule, which counts from the last write, leaves it for as long as this link works.
            await blob.SetMetadataAsync(new Dictionary<string, string>(), cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return sha;
    }

    /// <param name="linkBase">Where the link's pages are served, ending in a slash, e.g. <c>/api/previews/TOKEN/</c>.</param>
    /// <param name="approve">The approve buttons' form, or null for none.</param>
    public async Task<PreviewAnswer> RenderAsync(
        SiteStorage storage, PreviewGrant grant, string path, string linkBase, ApproveButton? approve, CancellationToken cancellationToken)
    {
        var files = (await storage.Content.ReadAllAsync(cancellationToken).ConfigureAwait(false)).ToList();
        if (grant.DraftPath is { } draftPath && grant.DraftSha256 is { } draftSha)
        {
            PreviewAnswer Gone(string why) =>
                PreviewAnswer.Html(410, PreviewHtml.Page($"{Banner}: Draft gone", grant.Language, $"<h1>Draft gone</h1>\n<p>{PreviewHtml.Encode(why)}</p>"));
            BinaryData draft;
            try
            {
                draft = (await storage.Blobs.GetBlobContainerClient(DraftContainer).GetBlobClient($"drafts/{draftSha}").DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content;
            }
            catch (RequestFailedException exception) when (exception.Status == 404)
            {
                // A draft may be aged out of the previews container, or removed by hand, while links to it still work.
                return Gone("The draft this preview link shows is no longer kept: it expired or was removed. Ask for a new link.");
            }

            // The link was signed for these bytes: anything else in their place is shown to nobody.
            var bytes = draft.ToArray();
            if (Hashing.Sha256Hex(bytes) != draftSha)
            {
                return Gone("The draft this preview link shows is no longer kept as it was given. Ask for a new link.");
            }

            files.RemoveAll(f => f.Path == draftPath);
            files.Add(new ContentFile(draftPath, bytes));
        }

        var content = loader.Load(files, storage.Content.DisplayRoot);
        if (content.HasErrors)
        {
            return Page(422, content, "Content errors", PreviewHtml.Overlay([.. content.Diagnostics.Where(d => d.IsError)]), linkBase);
        }

        if (content.Constituencies.FirstOrDefault(s => s.Slug == grant.Seat) is not { } seat)
        {
            return Page(404, content, "No such seat", $"<h1>No seat '{PreviewHtml.Encode(grant.Seat)}'</h1>", linkBase);
        }

        if (path == PostsPath)
        {
            var (posts, _) = publisher.PlanPosts(content);
            var approvals = PostApprovals.AnyNeeded(content) ? new ApprovalBook(await storage.Approvals.ReadAllAsync(cancellationToken).ConfigureAwait(false)) : ApprovalBook.Empty;
            return Page(200, content, "Social posts", PostsHtml.Body(posts, content, grant.At, seat.Slug, approvals, approve), linkBase);
        }

        // Only the link's seat is rendered: the same pipeline, a seventy-fifth of the work. A page
        // awaiting approval is shown as it would go out once approved: this is where it is reviewed.
        var target = new MemorySiteTarget();
        var result = await publisher.PublishAsync(content with { Constituencies = [seat] }, target,
            new PublishOptions { Now = grant.At, Force = true, RunId = "preview", IncludeUnapprovedPages = true }, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return Page(422, content, "Content errors", PreviewHtml.Overlay([.. result.Diagnostics.Where(d => d.IsError)]), linkBase);
        }

        var outputPath = path.Length == 0
            ? grant.Language == content.Site.Language ? $"web/{seat.Slug}/index.html" : $"web/{seat.Slug}/{grant.Language}/index.html"
            : PreviewPaths.OutputPath("/" + path);
        var status = 200;
        if (!target.TryGet(outputPath, out var file))
        {
            // A folder typed without its final slash is sent to it, as the CLI's preview does: its page's relative links resolve only there.
            if (path.Length > 0 && PreviewPaths.FolderOf(path) is { } folder && target.TryGet(PreviewPaths.OutputPath(folder), out _))
            {
                return new PreviewAnswer(302, "text/plain; charset=utf-8", []) { Location = linkBase + folder.TrimStart('/') };
            }

            status = 404;
            if (!target.TryGet(PreviewPaths.NotFound, out file))
            {
                return Page(404, content, "Not found", "<h1>Not found</h1>", linkBase);
            }
        }

        if (!file.ContentType.StartsWith("text/html", StringComparison.Ordinal))
        {
            return new PreviewAnswer(status, file.ContentType, file.Bytes);
        }

        var page = status == 200 ? result.PublishedPages.FirstOrDefault(p => p.Path == outputPath) : null;
        var note = page is not null && content.Site.Approval.Pages
            ? await PageApprovalAsync(storage, content, seat, page.Slug, grant.At, approve, cancellationToken).ConfigureAwait(false)
            : string.Empty;
        return PreviewAnswer.Html(status, Mark(Encoding.UTF8.GetString(file.Bytes), content.Site, linkBase, note));
    }

    /// <summary>
    /// Where the page stands with its approval, judged against every seat's version of it (so a
    /// London-wide approval is judged whole), with buttons to approve exactly the seat's version shown, or every seat's.
    /// </summary>
    private async Task<string> PageApprovalAsync(
        SiteStorage storage, SiteContent content, Constituency seat, string slug, DateTimeOffset at, ApproveButton? approve, CancellationToken cancellationToken)
    {
        var (articles, _, _) = publisher.PageArticles(content, at);
        if (!articles.TryGetValue(slug, out var bySeat))
        {
            return string.Empty;
        }

        var approvals = new ApprovalBook(await storage.Approvals.ReadAllAsync(cancellationToken).ConfigureAwait(false));
        var state = approvals.PageStateOf(content.Site, slug, seat, bySeat);
        var html = new StringBuilder($"<p class=\"lt-approval\" style=\"margin:.25rem 0 0\">Page approval: {PreviewHtml.Encode(state.Describe())}</p>");
        if (approve is not null && state.Status == ApprovalStatus.Awaiting)
        {
            // First what the reviewer sees, one seat's version; then, for a page of several seats, all of them at once.
            html.Append(approve.Form("page", ApprovalBook.PageItem(slug), slug, seat.Slug, ApprovalDigest.ForPage(bySeat[seat.Slug]), $"Approve {seat.Name}'s version only"));
            if (bySeat.Count > 1)
            {
                html.Append(approve.Form("page", ApprovalBook.PageItem(slug), slug, null, state.Digest, $"Approve this page as every seat has it ({bySeat.Count} seats)"));
            }
        }

        return html.ToString();
    }

    private static PreviewAnswer Page(int status, SiteContent content, string title, string body, string linkBase) =>
        PreviewAnswer.Html(status, Mark(PreviewHtml.Page($"{Banner}: {title}", content.Site.Language, body), content.Site, linkBase));

    /// <summary>Keeps links inside the preview, keeps search engines out and says on the page that it is not published.</summary>
    /// <param name="note">Markup added to the banner, such as the page's approval state.</param>
    public static string Mark(string html, Site site, string linkBase, string note = "")
    {
        html = html.Replace($"\"{site.BaseUrl.TrimEnd('/')}/", $"\"{linkBase}", StringComparison.Ordinal)
            .Replace($"\"{site.BasePath}/assets/", $"\"{linkBase}assets/", StringComparison.Ordinal);
        var head = html.IndexOf("<head>", StringComparison.OrdinalIgnoreCase);
        html = head < 0 ? html : html.Insert(head + "<head>".Length, "\n<meta name=\"robots\" content=\"noindex, nofollow\">");
        var body = html.IndexOf("<body", StringComparison.OrdinalIgnoreCase);
        var bodyEnd = body < 0 ? -1 : html.IndexOf('>', body);
        var banner = $"\n<div class=\"lt-preview-banner\" role=\"note\" style=\"background:#7a0019;color:#fff;padding:.5rem 1rem;font:600 1rem sans-serif\">{Banner}. " +
                     $"<a style=\"color:#fff\" href=\"{PreviewHtml.Encode(linkBase)}\">Seat home</a> · <a style=\"color:#fff\" href=\"{PreviewHtml.Encode(linkBase + PostsPath)}\">Social posts</a> · " +
                     $"<a style=\"color:#fff\" href=\"/.auth/login/aad?post_login_redirect_uri={Uri.EscapeDataString(linkBase + PostsPath)}\">Sign in to approve</a>{note}</div>\n";
        return bodyEnd < 0 ? banner + html : html.Insert(bodyEnd + 1, banner);
    }
}
