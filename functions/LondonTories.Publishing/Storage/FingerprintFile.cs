using System.Buffers;
using System.Collections.Immutable;
using System.Text.Json;
using LondonTories.Publishing.Approvals;
using LondonTories.Publishing.Diagnostics;
using LondonTories.Publishing.Social;
using static LondonTories.Publishing.Storage.JsonFields;

namespace LondonTories.Publishing.Storage;

/// <summary>
/// The fingerprint file of a folder: the last complete run, what it reported, and the digest of the
/// files it left. A run that has nothing to do reads this and nothing else of the folder's own, so it
/// is written and read field by field, as the state file is.
/// </summary>
internal static class FingerprintFile
{
    public static byte[] Write(CompletedRun run, string files)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            var fingerprint = run.Fingerprint;
            writer.WriteStartObject("Run");
            writer.WriteString("Digest", fingerprint.Digest);
            writer.WriteString("From", fingerprint.From);
            WriteInstant(writer, "Until", fingerprint.Until);
            writer.WriteNumber("Pages", fingerprint.Pages);
            writer.WriteNumber("Seats", fingerprint.Seats);
            writer.WriteNumber("Files", fingerprint.Files);
            writer.WriteEndObject();
            writer.WriteString("Files", files);
            writer.WriteString("ContentRoot", run.ContentRoot);
            writer.WriteStartArray("Diagnostics");
            foreach (var diagnostic in run.Diagnostics.IsDefault ? [] : run.Diagnostics)
            {
                Write(writer, diagnostic);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("Posts");
            foreach (var post in run.Posts.IsDefault ? [] : run.Posts)
            {
                Write(writer, post);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The run and the digest of its files, or null when the file is not one this version wrote whole.</summary>
    public static (CompletedRun Run, string Files)? Read(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var reader = new Utf8JsonReader(bytes);
            StartObject(ref reader);
            (PublishFingerprint? fingerprint, string? files, string? root) = (null, null, null);
            (ImmutableArray<Diagnostic> diagnostics, ImmutableArray<PostOutcome> posts) = ([], []);
            while (NextProperty(ref reader))
            {
                if (reader.ValueTextEquals("Run"u8))
                {
                    fingerprint = ReadFingerprint(ref reader);
                }
                else if (reader.ValueTextEquals("Files"u8))
                {
                    files = String(ref reader);
                }
                else if (reader.ValueTextEquals("ContentRoot"u8))
                {
                    root = NullableString(ref reader);
                }
                else if (reader.ValueTextEquals("Diagnostics"u8))
                {
                    diagnostics = ReadAll(ref reader, ReadDiagnostic);
                }
                else if (reader.ValueTextEquals("Posts"u8))
                {
                    posts = ReadAll(ref reader, ReadPost);
                }
                else
                {
                    SkipValue(ref reader);
                }
            }

            return fingerprint is null || files is null || reader.Read() ? null : (new CompletedRun(fingerprint, root, diagnostics) { Posts = posts }, files);
        }
        catch (Exception exception) when (IsUnreadable(exception))
        {
            return null;
        }
    }

    private delegate T ElementReader<T>(ref Utf8JsonReader reader);

    private static ImmutableArray<T> ReadAll<T>(ref Utf8JsonReader reader, ElementReader<T> read)
    {
        if (!StartArray(ref reader))
        {
            return [];
        }

        var items = ImmutableArray.CreateBuilder<T>();
        while (NextElement(ref reader))
        {
            Expect(ref reader, JsonTokenType.StartObject);
            items.Add(read(ref reader));
        }

        return items.ToImmutable();
    }

    private static PublishFingerprint ReadFingerprint(ref Utf8JsonReader reader)
    {
        StartObject(ref reader);
        (string? digest, DateTimeOffset? from, DateTimeOffset? until, int? pages, int? seats, int? files) = (null, null, null, null, null, null);
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("Digest"u8))
            {
                digest = String(ref reader);
            }
            else if (reader.ValueTextEquals("From"u8))
            {
                from = Instant(ref reader);
            }
            else if (reader.ValueTextEquals("Until"u8))
            {
                until = NullableInstant(ref reader);
            }
            else if (reader.ValueTextEquals("Pages"u8))
            {
                pages = Int32(ref reader);
            }
            else if (reader.ValueTextEquals("Seats"u8))
            {
                seats = Int32(ref reader);
            }
            else if (reader.ValueTextEquals("Files"u8))
            {
                files = Int32(ref reader);
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        return digest is not null && from is { } start && pages is { } p && seats is { } s && files is { } f
            ? new PublishFingerprint(digest, start, until, p, s, f)
            : throw new JsonException("The run lacks a field.");
    }

    private static void Write(Utf8JsonWriter writer, Diagnostic diagnostic)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("Location");
        writer.WriteString("Path", diagnostic.Location.Path);
        writer.WriteNumber("Line", diagnostic.Location.Line);
        writer.WriteNumber("Column", diagnostic.Location.Column);
        writer.WriteEndObject();
        writer.WriteString("Code", diagnostic.Code);
        writer.WriteString("Message", diagnostic.Message);
        writer.WriteString("Hint", diagnostic.Hint);
        writer.WriteNumber("Severity", (int)diagnostic.Severity);
        WriteStrings(writer, "Subjects", diagnostic.Subjects);
        writer.WriteEndObject();
    }

    private static Diagnostic ReadDiagnostic(ref Utf8JsonReader reader)
    {
        (SourceLocation? location, string? code, string? message, string? hint, DiagnosticSeverity? severity) = (null, null, null, null, null);
        ImmutableArray<string> subjects = [];
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("Location"u8))
            {
                location = ReadLocation(ref reader);
            }
            else if (reader.ValueTextEquals("Code"u8))
            {
                code = String(ref reader);
            }
            else if (reader.ValueTextEquals("Message"u8))
            {
                message = String(ref reader);
            }
            else if (reader.ValueTextEquals("Hint"u8))
            {
                hint = NullableString(ref reader);
            }
            else if (reader.ValueTextEquals("Severity"u8))
            {
                severity = (DiagnosticSeverity)Member(ref reader, typeof(DiagnosticSeverity));
            }
            else if (reader.ValueTextEquals("Subjects"u8))
            {
                subjects = Strings(ref reader);
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        return location is { } at && code is not null && message is not null && severity is { } level
            ? new Diagnostic(at, code, message, hint, level) { Subjects = subjects }
            : throw new JsonException("A warning lacks a field.");
    }

    private static SourceLocation ReadLocation(ref Utf8JsonReader reader)
    {
        StartObject(ref reader);
        (string? path, int? line, int? column) = (null, null, null);
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("Path"u8))
            {
                path = String(ref reader);
            }
            else if (reader.ValueTextEquals("Line"u8))
            {
                line = Int32(ref reader);
            }
            else if (reader.ValueTextEquals("Column"u8))
            {
                column = Int32(ref reader);
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        return path is not null && line is { } l && column is { } c ? new SourceLocation(path, l, c) : throw new JsonException("A location lacks a field.");
    }

    private static void Write(Utf8JsonWriter writer, PostOutcome post)
    {
        writer.WriteStartObject();
        writer.WriteString("PostId", post.PostId);
        writer.WriteString("Seat", post.Seat);
        writer.WriteString("Path", post.Path);
        writer.WriteNumber("Status", (int)post.Status);
        writer.WriteString("Schedule", post.Schedule);
        writer.WriteString("TextSha256", post.TextSha256);
        writer.WriteBoolean("Attempted", post.Attempted);
        writer.WriteBoolean("SentByThisRun", post.SentByThisRun);
        writer.WriteString("Error", post.Error);
        if (post.Approval is { } approval)
        {
            writer.WriteStartObject("Approval");
            writer.WriteNumber("Status", (int)approval.Status);
            writer.WriteString("Item", approval.Item);
            writer.WriteString("Digest", approval.Digest);
            WriteStrings(writer, "MayApprove", approval.MayApprove);
            writer.WriteString("ApprovedBy", approval.ApprovedBy);
            WriteInstant(writer, "ApprovedAt", approval.ApprovedAt);
            writer.WriteBoolean("Voided", approval.Voided);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("Approval");
        }

        writer.WriteString("Source", post.Source);
        writer.WriteEndObject();
    }

    private static PostOutcome ReadPost(ref Utf8JsonReader reader)
    {
        (string? id, string? seat, string? path, PostStatus? status, DateTimeOffset? schedule, string? text) = (null, null, null, null, null, null);
        (bool attempted, bool sent, string? error, ApprovalState? approval, string? source) = (false, false, null, null, null);
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("PostId"u8))
            {
                id = String(ref reader);
            }
            else if (reader.ValueTextEquals("Seat"u8))
            {
                seat = String(ref reader);
            }
            else if (reader.ValueTextEquals("Path"u8))
            {
                path = String(ref reader);
            }
            else if (reader.ValueTextEquals("Status"u8))
            {
                status = (PostStatus)Member(ref reader, typeof(PostStatus));
            }
            else if (reader.ValueTextEquals("Schedule"u8))
            {
                schedule = Instant(ref reader);
            }
            else if (reader.ValueTextEquals("TextSha256"u8))
            {
                text = String(ref reader);
            }
            else if (reader.ValueTextEquals("Attempted"u8))
            {
                attempted = Boolean(ref reader);
            }
            else if (reader.ValueTextEquals("SentByThisRun"u8))
            {
                sent = Boolean(ref reader);
            }
            else if (reader.ValueTextEquals("Error"u8))
            {
                error = NullableString(ref reader);
            }
            else if (reader.ValueTextEquals("Approval"u8))
            {
                approval = ReadApproval(ref reader);
            }
            else if (reader.ValueTextEquals("Source"u8))
            {
                source = NullableString(ref reader);
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        return id is not null && seat is not null && path is not null && status is { } state && schedule is { } at && text is not null
            ? new PostOutcome(id, seat, path, state, at, text) { Attempted = attempted, SentByThisRun = sent, Error = error, Approval = approval, Source = source }
            : throw new JsonException("A post lacks a field.");
    }

    private static ApprovalState? ReadApproval(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.StartObject);
        (ApprovalStatus? status, string? item, string? digest, string? approvedBy, DateTimeOffset? approvedAt, bool voided) = (null, null, null, null, null, false);
        ImmutableArray<string> mayApprove = [];
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("Status"u8))
            {
                status = (ApprovalStatus)Member(ref reader, typeof(ApprovalStatus));
            }
            else if (reader.ValueTextEquals("Item"u8))
            {
                item = String(ref reader);
            }
            else if (reader.ValueTextEquals("Digest"u8))
            {
                digest = String(ref reader);
            }
            else if (reader.ValueTextEquals("MayApprove"u8))
            {
                mayApprove = Strings(ref reader);
            }
            else if (reader.ValueTextEquals("ApprovedBy"u8))
            {
                approvedBy = NullableString(ref reader);
            }
            else if (reader.ValueTextEquals("ApprovedAt"u8))
            {
                approvedAt = NullableInstant(ref reader);
            }
            else if (reader.ValueTextEquals("Voided"u8))
            {
                voided = Boolean(ref reader);
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        return status is { } state && item is not null && digest is not null
            ? new ApprovalState(state, item, digest, mayApprove) { ApprovedBy = approvedBy, ApprovedAt = approvedAt, Voided = voided }
            : throw new JsonException("An approval lacks a field.");
    }

    private static void WriteInstant(Utf8JsonWriter writer, string name, DateTimeOffset? instant)
    {
        if (instant is { } value)
        {
            writer.WriteString(name, value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
