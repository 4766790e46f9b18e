using System.Collections.Concurrent;
using System.IO.Enumeration;
using System.Text.Json;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Pipeline;

namespace LondonTories.Publishing.Storage;

/// <summary>
/// Publishes to a folder laid out like the blob containers (<c>web/</c> is <c>$web</c>). Each file is
/// written under a temporary name outside the published folders and moved into place, so a reader
/// never sees half a file. What each file holds is remembered in <c>.publish-state.json</c> beside the
/// containers, checked against the file's size and time, so a run need not read back every file it
/// published; every write and delete is also appended to a journal, so a run stopped at any point
/// leaves a state the next run can trust (a file whose line was lost is hashed again, like any file
/// the state does not know). The state file is written again only once the journal grows long beside
/// it: until then the journal is the record of the runs since. One run at a time holds <c>.publish.lock</c>.
/// </summary>
public sealed partial class LocalFolderTarget : ISiteTarget
{
    public const string StateFileName = ".publish-state.json";
    public const string JournalFileName = ".publish-state.journal";
    public const string LockFileName = ".publish.lock";
    public const string TemporaryFolderName = ".publish-tmp";
    public const string FingerprintFileName = ".publish-fingerprint.json";

    // Inside the temporary folder, the staged files at the paths they will have.
    private const string StagingFolderName = "site";

    /// <summary>How long a run waits for another run on the same folder before giving up.</summary>
    public static readonly TimeSpan DefaultLockWait = TimeSpan.FromSeconds(10);

    private readonly string _root;
    private readonly TimeSpan _lockWait;
    private ConcurrentDictionary<string, StateEntry> _state = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Staged> _staged = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<bool>> _createdFolders = new(StringComparer.Ordinal);

    // Staged files wait in the temporary folder at the paths they will have, so that a folder new to
    // the site can be put in place with one move: the folders made there, and, once the run has said
    // what it will write, the new folder each staged file goes with and whether it went.
    private readonly ConcurrentDictionary<string, Lazy<bool>> _stagingFolders = new(StringComparer.Ordinal);
    private Dictionary<string, (string Folder, string Temporary)> _folderOf = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<bool>> _movedFolders = new(StringComparer.Ordinal);
    private readonly Lock _journalLock = new();
    private FileStream? _journal;
    private ReadOnlyMemory<byte> _stateBytesRead;

    // The journal is kept after a complete run while it is short beside the state, as the record of
    // the runs since the state file was written: writing the state of a site of 30,000 files again
    // took a tenth of a second of every one-page edit. Its lines, as read and as appended by this run.
    private int _journalLines;
    private bool _stateFileRead;
    private bool _heldAsRecorded;
    private bool _journalEndsTorn;
    private FolderLock? _lock;
    private int _fingerprintWithdrawn;

    // Names in the temporary folder: unique to this target, then counted. A GUID for every one of
    // a full publish's 30,000 files cost 2% of its rendering step.
    private readonly string _temporaryPrefix = Guid.NewGuid().ToString("N")[..12] + "-";
    private long _temporaryCount;

    // The digest of the folder's files as they stand, where it is known without going over them again:
    // as the fingerprint check listed them, or as a complete run left them. Reading the folder, or any
    // change to it, drops it.
    private volatile string? _knownDigest;

    public LocalFolderTarget(string root, TimeSpan? lockWait = null)
    {
        // Canonical, without a trailing separator: every path is checked against the root plus one
        // separator, and 'out/' (as tab completion writes it) must mean the same folder as 'out'.
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        TemporaryFolder = Path.Join(_root, TemporaryFolderName);
        _lockWait = lockWait ?? DefaultLockWait;
        Description = root;
        History = new FolderPublicationHistory(_root);
    }

    public string Description { get; }

    /// <summary>
    /// True for a folder a publish may take: one that does not exist yet, is empty, or holds the
    /// bookkeeping of an earlier publish. In any other a publish would take files it never wrote
    /// under web/ for ones no longer published, and delete them.
    /// </summary>
    public static bool IsEmptyOrPublished(string root) =>
        !Directory.Exists(root)
        || new[] { StateFileName, JournalFileName, LockFileName, FingerprintFileName, FolderPublicationHistory.FileName }.Any(f => File.Exists(Path.Join(root, f)))
        // Shaped as a publish leaves it (a checked-in out/ with its .gitkeep, a site copied without its
        // state files): nothing beside web/ and social/ but hidden files, and a web/ that is empty or
        // holds the manifest a publish writes there, not another tool's site.
        || (Directory.EnumerateFileSystemEntries(root).Select(Path.GetFileName).All(name => name is "web" or "social" || name!.StartsWith('.'))
            && (!Directory.Exists(Path.Join(root, "web")) || IsPublishManifest(Path.Join(root, SiteBuilder.ManifestPath)) || !Directory.EnumerateFileSystemEntries(Path.Join(root, "web")).Any()));

    /// <summary>
    /// Whether the file is a manifest a publish wrote: its site and its seats. 'manifest.json' is also
    /// the name of a web app's manifest, and such a site is another tool's, whose files a publish would delete.
    /// </summary>
    private static bool IsPublishManifest(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var manifest = JsonDocument.Parse(stream);
            return manifest.RootElement.ValueKind == JsonValueKind.Object
                && manifest.RootElement.TryGetProperty("site", out var site) && site.ValueKind == JsonValueKind.Object && site.TryGetProperty("base_url", out _)
                && manifest.RootElement.TryGetProperty("constituencies", out var seats) && seats.ValueKind == JsonValueKind.Array;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or JsonException)
        {
            return false;
        }
    }

    public IPublicationHistory History { get; }

    private string TemporaryFolder { get; }

    /// <summary>
    /// Takes the folder's lock file, waiting a little for a run that holds it. The operating system
    /// releases it when its holder ends, however it ends, so a killed run never leaves the folder locked.
    /// </summary>
    public async Task<IAsyncDisposable> LockAsync(CancellationToken cancellationToken)
    {
        if (_lock is not null)
        {
            // Already held by this target for a run that wraps another (the fingerprint's check around the publish).
            return NoLock.Instance;
        }

        var created = !Directory.Exists(_root);
        Directory.CreateDirectory(_root);
        var lockPath = Path.Combine(_root, LockFileName);
        var deadline = DateTime.UtcNow + _lockWait;
        var released = 0;
        while (true)
        {
            try
            {
                var stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                return _lock = new FolderLock(this, stream, lockPath, created);
            }
            catch (DirectoryNotFoundException)
            {
                // The run that held the lock removed the folder it had made and left empty.
                Directory.CreateDirectory(_root);
                continue;
            }
            catch (IOException) when (!File.Exists(lockPath) && released++ < 3)
            {
                // Refused by the lock, whose holder then removed its file as it let go: the next try finds it free.
                continue;
            }
            catch (IOException) when (File.Exists(lockPath))
            {
                if (DateTime.UtcNow >= deadline)
                {
                    throw new SiteTargetBusyException(
                        $"another publish is writing to '{Description}' (it holds {Path.Combine(Description, LockFileName)}); nothing was changed. " +
                        "Wait for it to finish, then publish again.");
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyDictionary<string, TargetEntry>> ReadAsync(CancellationToken cancellationToken)
    {
        _knownDigest = null;
        if (!Directory.Exists(_root))
        {
            _state.Clear();
            return new Dictionary<string, TargetEntry>();
        }

        // Temporary files of a run that was stopped are worthless: nothing names them.
        DeleteTemporaryFolder();

        var remembered = await ReadStateAsync(cancellationToken).ConfigureAwait(false);
        var listing = ListFiles(remembered);

        // The usual case, a file as the last run left it, costs one directory entry; only files
        // changed since, or unknown, are read and hashed. Gathered on one thread and handed to the
        // concurrent state whole, which takes them without a lock each: a site has tens of thousands.
        var known = new List<KeyValuePair<string, StateEntry>>(listing.Count);
        var unknown = new List<Listed>();
        foreach (var file in listing)
        {
            if (IsBookkeeping(file.Path))
            {
                continue;
            }

            if (Path.GetFileName(file.Path.AsSpan()).StartsWith(".tmp-", StringComparison.Ordinal))
            {
                // Left inside a published folder by an older version stopped mid-write.
                File.Delete(Path.Join(_root, file.Path));
                continue;
            }

            if (file.Known is { } entry)
            {
                known.Add(new(file.Path, entry));
            }
            else
            {
                unknown.Add(file);
            }
        }

        // Files gone or changed since the state and journal were written make them say what the folder
        // no longer holds: the state is then written again at the end of the run, not left to the journal.
        _heldAsRecorded = unknown.Count == 0 && known.Count == remembered.Count;

        var hashed = new StateEntry[unknown.Count];
        await Parallel.ForAsync(0, unknown.Count, cancellationToken, async (i, ct) =>
        {
            var file = unknown[i];
            var bytes = await File.ReadAllBytesAsync(Path.Join(_root, file.Path), ct).ConfigureAwait(false);
            hashed[i] = new StateEntry(Hashing.Sha256Hex(bytes), null, file.Length, file.Modified);
        }).ConfigureAwait(false);
        known.AddRange(unknown.Select((file, i) => new KeyValuePair<string, StateEntry>(file.Path, hashed[i])));

        _state = new ConcurrentDictionary<string, StateEntry>(Environment.ProcessorCount, known, StringComparer.Ordinal);
        var held = new Dictionary<string, TargetEntry>(known.Count, StringComparer.Ordinal);
        foreach (var (path, entry) in known)
        {
            held[path] = new TargetEntry(entry.Sha256, entry.InputKey);
        }

        return held;
    }

    public Task WriteAsync(OutputFile file, CancellationToken cancellationToken)
    {
        var destination = FullPath(file.Path);
        WithdrawFingerprint();
        var staged = StagedFor(file);
        if (!_folderOf.TryGetValue(file.Path, out var going) || staged.Temporary != going.Temporary
            || !_movedFolders.GetOrAdd(going.Folder, static (folder, target) => new Lazy<bool>(() => target.MoveStagedFolder(folder)), this).Value)
        {
            EnsureFolder(Path.GetDirectoryName(destination)!);
            File.Move(staged.Temporary, destination, overwrite: true);
        }

        // A move keeps the file's time, so the state records what a listing will show without asking again.
        Record(file.Path, new StateEntry(file.Sha256, file.InputKey, staged.Length, staged.Modified));
        return Task.CompletedTask;
    }

    /// <summary>Writes the bytes to the temporary folder at once; <see cref="WriteAsync"/> then only moves them into place.</summary>
    public OutputFile Stage(OutputFile file)
    {
        var temporary = StagingPath(file.Path);
        Staged staged;
        if (Path.GetFullPath(temporary) != temporary || file.Path.StartsWith('.'))
        {
            // A path that climbs out of its folder is staged under a name of its own, and refused when written.
            staged = WriteTemporary(file.Bytes, file.Sha256);
        }
        else
        {
            MakeOnce(_stagingFolders, Path.GetDirectoryName(temporary)!);
            // Created or replaced: a run that holds a page back for approval builds again and stages the same paths.
            staged = WriteTemporary(file.Bytes, file.Sha256, temporary, FileMode.Create);
        }

        _staged[file.Path] = staged;
        return file with { Bytes = [], StagedAt = staged.Temporary };
    }

    /// <summary>
    /// Finds, for each staged file the run will write, the highest folder on its path that the site
    /// does not have yet. Such a folder goes in place with one move when the run writes everything
    /// staged in it; any other file is moved on its own.
    /// </summary>
    public void WillWrite(IReadOnlyCollection<OutputFile> files)
    {
        // Asked of the folder itself, once for each folder on the staged files' paths: an edit stages
        // a few hundred files, and gathering the folders of every file the state names took 12 ms of
        // it, this 2. A folder there but unknown to the state (made by hand) is not new, so nothing is moved onto it.
        var existing = new Dictionary<string, bool>(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        bool Exists(ReadOnlySpan<char> folder)
        {
            if (!existing.TryGetValue(folder, out var found))
            {
                found = Directory.Exists(Path.Join(_root, folder));
                existing[folder] = found;
            }

            return found;
        }

        // Every staged file counts, written or not: a file staged but not written (a page held back
        // for approval) keeps its folder from going at once.
        var staging = new Dictionary<string, (string Folder, string Temporary)>(_staged.Count, StringComparer.Ordinal);
        var stagedIn = new Dictionary<string, int>(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        var stagingRoot = Path.Join(TemporaryFolder, StagingFolderName) + Path.DirectorySeparatorChar;
        foreach (var (path, staged) in _staged)
        {
            if (!staged.Temporary.StartsWith(stagingRoot, StringComparison.Ordinal))
            {
                continue;
            }

            // The highest folder on the path that the site does not have yet, named by one string however many files it holds.
            for (var cut = path.IndexOf('/'); cut > 0; cut = path.IndexOf('/', cut + 1))
            {
                if (!Exists(path.AsSpan(0, cut)))
                {
                    var folder = stagedIn.TryGetValue(path.AsSpan(0, cut), out var known, out var count) ? known : path[..cut];
                    stagedIn.Dictionary[folder] = count + 1;
                    staging[path] = (folder, staged.Temporary);
                    break;
                }
            }
        }

        var writtenIn = new Dictionary<string, int>(stagedIn.Dictionary.Count, StringComparer.Ordinal);
        var folderOf = new Dictionary<string, (string Folder, string Temporary)>(files.Count, StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (staging.TryGetValue(file.Path, out var going) && file.StagedAt == going.Temporary)
            {
                folderOf[file.Path] = going;
                writtenIn[going.Folder] = writtenIn.GetValueOrDefault(going.Folder) + 1;
            }
        }

        foreach (var (path, going) in folderOf)
        {
            if (writtenIn[going.Folder] != stagedIn.Dictionary[going.Folder])
            {
                folderOf.Remove(path);
            }
        }

        _folderOf = folderOf;
        _movedFolders.Clear();
    }

    /// <summary>Moves a staged folder to its place; false when it cannot (something is there now), and its files are then moved one by one.</summary>
    private bool MoveStagedFolder(string folder)
    {
        var destination = FullPath(folder);
        try
        {
            EnsureFolder(Path.GetDirectoryName(destination)!);
            Directory.Move(StagingPath(folder), destination);
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private string StagingPath(string path) => Path.Join(TemporaryFolder, StagingFolderName, path);

    public Task<bool> CreateOnceAsync(OutputFile file, string runId, CancellationToken cancellationToken)
    {
        var destination = FullPath(file.Path);
        WithdrawFingerprint();
        EnsureFolder(Path.GetDirectoryName(destination)!);
        var staged = StagedFor(file);
        try
        {
            // Without overwrite the move fails when the file exists, even if another process made it a moment ago.
            File.Move(staged.Temporary, destination, overwrite: false);
        }
        catch (IOException) when (File.Exists(destination))
        {
            File.Delete(staged.Temporary);
            return Task.FromResult(false);
        }

        Record(file.Path, new StateEntry(file.Sha256, file.InputKey, staged.Length, staged.Modified));
        return Task.FromResult(true);
    }

    public Task RekeyAsync(OutputFile file, CancellationToken cancellationToken)
    {
        // The state alone changes: the file keeps its bytes, size and time.
        if (_state.TryGetValue(file.Path, out var entry) && entry.Sha256 == file.Sha256 && entry.InputKey != file.InputKey)
        {
            WithdrawFingerprint();
            Record(file.Path, entry with { InputKey = file.InputKey });
        }

        return Task.CompletedTask;
    }

    public Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        var fullPath = FullPath(path);
        WithdrawFingerprint();
        File.Delete(fullPath);
        Record(path, null);
        // Leave no empty folders behind, so the folder mirrors what a blob listing would show.
        for (var folder = Path.GetDirectoryName(fullPath); folder is not null && folder.Length > _root.Length; folder = Path.GetDirectoryName(folder))
        {
            try
            {
                if (Directory.EnumerateFileSystemEntries(folder).Any())
                {
                    break;
                }

                Directory.Delete(folder);
                _createdFolders.TryRemove(folder, out _);
            }
            catch (IOException)
            {
                // Deletes run in parallel: another one emptied, removed or refilled this folder first.
                break;
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// The bytes staged for <paramref name="path"/> in this run, or else those published there, when
    /// they carry <paramref name="sha256"/>. Neither is hashed again when this target vouches for it:
    /// a staged file was written from bytes of a known digest moments ago, and a published file with
    /// the size and time recorded when it was written or last hashed is taken as that file, as
    /// <see cref="ReadAsync"/> takes every file of the folder.
    /// </summary>
    public byte[]? ReadNearby(string path, string sha256)
    {
        try
        {
            if (_staged.TryGetValue(path, out var staged))
            {
                return staged.Sha256 == sha256 ? File.ReadAllBytes(staged.Temporary) : null;
            }

            if (!_state.TryGetValue(path, out var entry))
            {
                return null;
            }

            using var handle = File.OpenHandle(FullPath(path));
            var bytes = ReadWhole(handle);
            var vouched = entry.Sha256 == sha256 && entry.Length == bytes.Length && entry.Modified == File.GetLastWriteTimeUtc(handle).Ticks;
            return vouched || Hashing.Sha256Hex(bytes) == sha256 ? bytes : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Gone or unreadable since the run began: the caller renders it instead.
            return null;
        }
    }

    private static byte[] ReadWhole(Microsoft.Win32.SafeHandles.SafeFileHandle handle)
    {
        var bytes = GC.AllocateUninitializedArray<byte>(checked((int)RandomAccess.GetLength(handle)));
        var read = 0;
        while (read < bytes.Length)
        {
            var count = RandomAccess.Read(handle, bytes.AsSpan(read), read);
            if (count == 0)
            {
                // Shortened while being read: what was read is not the file this target recorded.
                throw new IOException("The file changed while it was read.");
            }

            read += count;
        }

        return bytes;
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        // The digest the fingerprint keeps of the files the run leaves, taken beside writing the state
        // (or, in a publish, beside recording the history) rather than after both, on its own: a run
        // changes nothing once complete. A tenth of a one-page edit's time went to it afterwards. It
        // takes milliseconds, and a stop asked for now must not report a run whose state is written as unfinished.
        var leaving = Task.Run(DigestOfState, CancellationToken.None);
        if (_stateFileRead && _heldAsRecorded && _journalLines <= Math.Max(KeptJournalLines, _state.Count / 8))
        {
            CloseJournal();
            _knownDigest = await leaving.ConfigureAwait(false);
            return;
        }

        var bytes = StateRows.Write(_state, _stateBytesRead.Length);
        if (!bytes.Span.SequenceEqual(_stateBytesRead.Span))
        {
            Directory.CreateDirectory(_root);
            var temporary = WriteTemporary(bytes.Span, string.Empty).Temporary;
            File.Move(temporary, Path.Combine(_root, StateFileName), overwrite: true);
            _stateBytesRead = bytes;
        }

        // The state file now holds everything the journal says; a stop before this line only means
        // the next run replays entries it already has. A journal kept above says what the state file does not yet.
        CloseJournal();
        File.Delete(Path.Combine(_root, JournalFileName));
        (_stateFileRead, _heldAsRecorded, _journalLines, _journalEndsTorn) = (true, true, 0, false);
        _knownDigest = await leaving.ConfigureAwait(false);
    }

    /// <summary>
    /// How many lines the journal may reach and still be kept after a complete run, at the least: a
    /// site's journal is also kept up to an eighth of its files, and folded into the state file beyond.
    /// </summary>
    internal int KeptJournalLines { get; init; } = 1024;

    /// <summary>
    /// The last complete run, when its fingerprint covers <paramref name="current"/> and the folder
    /// still holds exactly the files that run left: the same paths with the same sizes and times,
    /// which one listing of the folder shows without reading a file. Null when there is none, it does
    /// not cover this run, or anything was added, removed or changed since.
    /// </summary>
    public async Task<CompletedRun?> ReadFingerprintAsync(PublishFingerprint current, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_root, FingerprintFileName);
        if (!File.Exists(path))
        {
            return null;
        }

        // A damaged file, or one another version wrote, vouches for nothing.
        if (FingerprintFile.Read(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false)) is not { } saved)
        {
            return null;
        }

        // Content that changed since needs no digest of the listing to know the run has work to do.
        if (!saved.Run.Fingerprint.Covers(current))
        {
            return null;
        }

        var files = DigestOfFolder();
        _knownDigest = files;
        return saved.Files == files ? saved.Run : null;
    }

    /// <summary>True when the folder keeps the fingerprint of a complete run, which a run may find still holds.</summary>
    public bool HasFingerprint => File.Exists(Path.Combine(_root, FingerprintFileName));

    /// <summary>Keeps the fingerprint of a run that has just completed, or of one found to hold still, with a digest of the files it left.</summary>
    public Task RememberAsync(CompletedRun run, CancellationToken cancellationToken)
    {
        // The files the fingerprint was just checked against, or those the run just completed left, are what it vouches for.
        var files = _knownDigest ?? DigestOfState();
        var temporary = WriteTemporary(FingerprintFile.Write(run, files), string.Empty).Temporary;
        File.Move(temporary, Path.Combine(_root, FingerprintFileName), overwrite: true);
        Interlocked.Exchange(ref _fingerprintWithdrawn, 0);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Removes the fingerprint before the first change of a run, so a run stopped part way never
    /// leaves it vouching for files it changed, and a run that changes nothing leaves it alone.
    /// </summary>
    private void WithdrawFingerprint()
    {
        _knownDigest = null;
        if (Interlocked.Exchange(ref _fingerprintWithdrawn, 1) == 0)
        {
            File.Delete(Path.Combine(_root, FingerprintFileName));
        }
    }

    /// <summary>Every file in the folder but those a run stages, by path relative to it, with its size and time.</summary>
    private List<Listed> ListFiles(Dictionary<string, StateEntry> remembered) =>
        [.. InParts((target, folder, recurse) => target.ListedIn(folder, recurse, remembered)).SelectMany(files => files)];

    /// <summary>The files under <paramref name="folder"/> as <see cref="Files"/> lists them, read by <see cref="FolderWalk"/> where it can.</summary>
    private List<Listed> ListedIn(string folder, bool recurse, Dictionary<string, StateEntry> remembered)
    {
        var lookup = remembered.GetAlternateLookup<ReadOnlySpan<char>>();
        var listed = new List<Listed>();
        return FolderWalk.TryList(folder, InFolder(folder), recurse, (inFolder, name, length, modified) => listed.Add(ListedAt(lookup, inFolder, name, length, modified)))
            ? listed
            : [.. Files(folder, recurse, remembered)];
    }

    /// <summary>
    /// What <paramref name="take"/> makes of each part of the folder but the temporary one: the files
    /// in it and in each folder within it alone, then every folder below those, whole.
    /// </summary>
    private List<T> InParts<T>(Func<LocalFolderTarget, string, bool, T> take)
    {
        // A file costs a system call or two, and a site's files lie in a folder per seat two levels
        // down: those folders are taken side by side.
        var parts = new List<T> { take(this, _root, false) };
        var below = new List<string>();
        foreach (var folder in Directory.EnumerateDirectories(_root).Where(f => Path.GetFileName(f) != TemporaryFolderName))
        {
            parts.Add(take(this, folder, false));
            below.AddRange(Directory.EnumerateDirectories(folder));
        }

        var deeper = new T[below.Count];
        try
        {
            Parallel.For(0, below.Count, i => deeper[i] = take(this, below[i], true));
        }
        catch (AggregateException exception)
        {
            // Callers see what a listing in one pass would have thrown.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(exception.InnerExceptions[0]);
        }

        parts.AddRange(deeper);
        return parts;
    }

    /// <summary>
    /// The files under <paramref name="folder"/>, each measured from its directory entry rather than as a
    /// <see cref="FileInfo"/>, which a listing of every file of a site would pay for twice. A link is
    /// refused, but a file found with the size and time <paramref name="remembered"/> gives it is the
    /// file a run wrote there and is not asked again: asking every file took a third of an edit's listing.
    /// </summary>
    private FileSystemEnumerable<Listed> Files(string folder, bool recurse, Dictionary<string, StateEntry> remembered)
    {
        var skip = _root.Length + 1;
        var lookup = remembered.GetAlternateLookup<ReadOnlySpan<char>>();
        return FilesAs(folder, recurse, (ref entry) =>
        {
            var listed = ListedAt(lookup, entry.Directory.Length > _root.Length ? entry.Directory[skip..] : [], entry.FileName, entry.Length, entry.LastWriteTimeUtc.UtcTicks);
            return listed.Known is null && IsLink(ref entry) ? throw LinkRefused(entry.ToFullPath()) : listed;
        }, LinkCheck.Folders);
    }

    /// <summary>
    /// A file found in <paramref name="inFolder"/> (relative to the root) as the state names it, known
    /// when the state gives it that size and time. The path is looked up before it is made a string: a
    /// file the state knows takes the state's own, and the run keeps one copy of each path, not two.
    /// </summary>
    private static Listed ListedAt(Dictionary<string, StateEntry>.AlternateLookup<ReadOnlySpan<char>> lookup, ReadOnlySpan<char> inFolder, ReadOnlySpan<char> fileName,
        long size, long modified)
    {
        var length = inFolder.IsEmpty ? fileName.Length : inFolder.Length + 1 + fileName.Length;
        Span<char> name = length <= 256 ? stackalloc char[length] : new char[length];
        if (!inFolder.IsEmpty)
        {
            inFolder.CopyTo(name);
            name[inFolder.Length] = '/';
        }

        fileName.CopyTo(name[(length - fileName.Length)..]);
        name.Replace('\\', '/');
        if (lookup.TryGetValue(name, out var path, out var known) && known.Length == size && known.Modified == modified)
        {
            return new Listed(path, size, modified) { Known = known };
        }

        return new Listed(name.ToString(), size, modified);
    }

    /// <summary>A folder's path relative to the root, '/' between its parts; empty for the root.</summary>
    private string InFolder(string folder) => folder.Length > _root.Length ? folder[(_root.Length + 1)..] : string.Empty;

    /// <summary>
    /// Each file under <paramref name="folder"/> as <paramref name="transform"/> makes it of its directory
    /// entry, hidden ones included. Unless <paramref name="links"/> is <see cref="LinkCheck.None"/>, a link is
    /// never followed: what a run lists under web/ and does not publish it deletes, and through a link
    /// that would be an editor's own files anywhere on the disk.
    /// </summary>
    /// <param name="links">
    /// None only for the digest that tells whether the folder is as the last run left it: a run it vouches
    /// for changes nothing, and looking for links costs a call per folder, a third of that digest's time.
    /// Folders only where the transform checks the files itself.
    /// </param>
    private FileSystemEnumerable<T> FilesAs<T>(string folder, bool recurse, FileSystemEnumerable<T>.FindTransform transform, LinkCheck links = LinkCheck.All) =>
        links == LinkCheck.None
            ? new(folder, transform, new EnumerationOptions { RecurseSubdirectories = recurse, AttributesToSkip = 0, IgnoreInaccessible = false })
            {
                ShouldIncludePredicate = (ref entry) => !entry.IsDirectory,
            }
            : new(folder, links == LinkCheck.All ? (ref entry) => IsLink(ref entry) ? throw LinkRefused(entry.ToFullPath()) : transform(ref entry) : transform,
                new EnumerationOptions { RecurseSubdirectories = recurse, AttributesToSkip = 0, IgnoreInaccessible = false })
            {
                // A link to a folder is listed, so that the check refuses it, rather than followed.
                ShouldIncludePredicate = (ref entry) => !entry.IsDirectory || (IsLink(ref entry) ? throw LinkRefused(entry.ToFullPath()) : false),
                ShouldRecursePredicate = (ref entry) => !IsLink(ref entry),
            };

    private enum LinkCheck
    {
        None,
        Folders,
        All,
    }

    private static bool IsLink(ref FileSystemEntry entry) => (entry.Attributes & FileAttributes.ReparsePoint) != 0;

    private UnsafeOutputPathException LinkRefused(string fullPath) =>
        new($"'{Path.GetRelativePath(_root, fullPath).Replace('\\', '/')}' in the output folder '{Description}' is a link to '{new FileInfo(fullPath).LinkTarget}'; " +
            "a publish never follows a link, since it deletes what it no longer publishes, so nothing was changed. " +
            "Delete the link (what it leads to stays as it is) or move it out of the folder, then publish again.");

    /// <summary>
    /// The digest of every file in the folder but its bookkeeping and those a run stages, by path, size
    /// and time, as <see cref="DigestOfState"/> takes it of the files this target knows: listed as
    /// <see cref="ListFiles"/> lists them, each entry digested where it is read, with no path kept.
    /// </summary>
    private string DigestOfFolder()
    {
        var whole = new FileSetDigest();
        foreach (var part in InParts(static (target, folder, recurse) => target.Digested(folder, recurse)))
        {
            whole.Add(part);
        }

        return whole.ToString();
    }

    /// <summary>The digest of the files under <paramref name="folder"/>, taken entry by entry as they are listed.</summary>
    private FileSetDigest Digested(string folder, bool recurse)
    {
        var walked = new FileSetDigest();
        if (FolderWalk.TryList(folder, InFolder(folder), recurse, (inFolder, name, length, modified) => AddListed(walked, inFolder, name, length, modified)))
        {
            return walked;
        }

        var skip = _root.Length + 1;
        var digest = new FileSetDigest();
        foreach (var _ in FilesAs(folder, recurse, (ref entry) =>
        {
            AddListed(digest, entry.Directory.Length <= _root.Length ? [] : entry.Directory[skip..], entry.FileName, entry.Length, entry.LastWriteTimeUtc.UtcTicks);
            return digest;
        }, LinkCheck.None))
        {
        }

        return digest;
    }

    /// <summary>Adds a file found in <paramref name="inFolder"/> (relative to the root, empty for the root itself), unless it is the root's bookkeeping.</summary>
    private static void AddListed(FileSetDigest digest, ReadOnlySpan<char> inFolder, ReadOnlySpan<char> name, long length, long modified)
    {
        if (!(inFolder.IsEmpty && IsBookkeeping(name)))
        {
            digest.Add(inFolder, name, length, modified);
        }
    }

    /// <summary>The digest <see cref="DigestOfFolder"/> gives of a folder that holds exactly the files this target knows, with the sizes and times it recorded.</summary>
    private string DigestOfState()
    {
        var digest = new FileSetDigest();
        foreach (var (path, entry) in _state)
        {
            digest.Add(path, entry.Length, entry.Modified);
        }

        return digest.ToString();
    }

    private static bool IsBookkeeping(ReadOnlySpan<char> name) =>
        name is StateFileName or JournalFileName or LockFileName or FingerprintFileName or FolderPublicationHistory.FileName;

    /// <summary>The state file, brought up to date with the journal of the runs since it was written, complete or stopped.</summary>
    private async Task<Dictionary<string, StateEntry>> ReadStateAsync(CancellationToken cancellationToken)
    {
        var remembered = new Dictionary<string, StateEntry>(StringComparer.Ordinal);
        var statePath = Path.Combine(_root, StateFileName);
        (_stateBytesRead, _stateFileRead, _journalLines, _journalEndsTorn) = (ReadOnlyMemory<byte>.Empty, false, 0, false);
        if (File.Exists(statePath))
        {
            _stateBytesRead = await File.ReadAllBytesAsync(statePath, cancellationToken).ConfigureAwait(false);

            // A damaged state file, or one an older version wrote, only costs a full comparison of the files themselves.
            var read = StateRows.Read(_stateBytesRead.Span);
            (remembered, _stateFileRead) = (read ?? remembered, read is not null);
        }

        var journalPath = Path.Combine(_root, JournalFileName);
        if (File.Exists(journalPath))
        {
            var journal = await File.ReadAllBytesAsync(journalPath, cancellationToken).ConfigureAwait(false);
            _journalEndsTorn = journal.Length > 0 && journal[^1] != (byte)'\n';
            for (var rest = journal.AsSpan(); !rest.IsEmpty;)
            {
                var end = rest.IndexOf((byte)'\n');
                var line = end < 0 ? rest : rest[..end];
                rest = end < 0 ? [] : rest[(end + 1)..];
                if (line.IsEmpty)
                {
                    continue;
                }

                _journalLines++;

                // A line cut short, the last of a run stopped mid-append, says nothing: the file it names is simply hashed again.
                if (StateRows.ReadJournalLine(line) is not { } read)
                {
                    continue;
                }

                var (path, entry) = read;
                if (entry is null)
                {
                    remembered.Remove(path);
                }
                else
                {
                    remembered[path] = entry;
                }
            }
        }

        return remembered;
    }

    private void Record(string path, StateEntry? entry)
    {
        _knownDigest = null;
        if (entry is null)
        {
            _state.TryRemove(path, out _);
        }
        else
        {
            _state[path] = entry;
        }

        // A folder with no state file has nothing for a journal to bring up to date: a run stopped
        // part way through a first publish leaves the next to hash the files it finds, once, and the
        // 30,307 lines of the benchmark's first publish took about 40 of its 120 ms of writing.
        if (!_stateFileRead && _journalLines == 0)
        {
            return;
        }

        var line = StateRows.JournalLine(path, entry);
        lock (_journalLock)
        {
            // Buffered, not flushed line by line: a run killed before its lines reach the file only
            // leaves the next run to hash the files they name, as it hashes any file the state does not know.
            if (_journal is null)
            {
                _journal = new FileStream(Path.Combine(_root, JournalFileName), FileMode.Append, FileAccess.Write, FileShare.Read, 64 * 1024);
                if (_journalEndsTorn)
                {
                    // The half line a killed run left ends here, so that this run's first line is read whole.
                    _journal.WriteByte((byte)'\n');
                    _journalEndsTorn = false;
                }
            }

            _journal.Write(line);
            _journal.WriteByte((byte)'\n');
            _journalLines++;
        }
    }

    private void CloseJournal()
    {
        lock (_journalLock)
        {
            _journal?.Dispose();
            _journal = null;
        }
    }

    /// <summary>
    /// Bytes written to a new file in the temporary folder, with the size and time the file then has:
    /// a move keeps both, so they are what the folder will show at its final place.
    /// </summary>
    private Staged WriteTemporary(ReadOnlySpan<byte> bytes, string sha256)
    {
        EnsureFolder(TemporaryFolder);
        var temporary = Path.Join(TemporaryFolder, _temporaryPrefix + Interlocked.Increment(ref _temporaryCount).ToString("x", System.Globalization.CultureInfo.InvariantCulture));
        return WriteTemporary(bytes, sha256, temporary, FileMode.CreateNew);
    }

    private static Staged WriteTemporary(ReadOnlySpan<byte> bytes, string sha256, string temporary, FileMode mode) =>
        new(temporary, sha256, bytes.Length, WholeFile.Write(temporary, bytes, mode));

    /// <summary>
    /// Where the file's bytes wait to be moved into place, with their size and time: as staged, or
    /// written now. A staged file this target keeps no record of (its path was staged again since)
    /// is measured as it is.
    /// </summary>
    private Staged StagedFor(OutputFile file)
    {
        if (file.StagedAt is not { } at)
        {
            return WriteTemporary(file.Bytes, file.Sha256);
        }

        if (_staged.TryRemove(file.Path, out var known) && known.Temporary == at)
        {
            return known;
        }

        var staged = new FileInfo(at);
        return new Staged(at, file.Sha256, staged.Length, staged.LastWriteTimeUtc.Ticks);
    }

    private void DeleteTemporaryFolder()
    {
        _staged.Clear();
        if (Directory.Exists(TemporaryFolder))
        {
            Directory.Delete(TemporaryFolder, recursive: true);
        }

        _createdFolders.TryRemove(TemporaryFolder, out _);
        _stagingFolders.Clear();
        _folderOf = new(StringComparer.Ordinal);
        _movedFolders.Clear();
    }

    private void EnsureFolder(string folder) => MakeOnce(_createdFolders, folder);

    // Made once however many threads ask for it at once; the others wait until it is there.
    private static void MakeOnce(ConcurrentDictionary<string, Lazy<bool>> made, string folder) =>
        _ = made.GetOrAdd(folder, static f => new Lazy<bool>(() => Directory.CreateDirectory(f) is not null)).Value;

    /// <summary>Where a path lands; called before a write or delete changes anything, so a refused path changes nothing at all.</summary>
    private string FullPath(string path)
    {
        var full = Path.GetFullPath(Path.Combine(_root, path));
        if (!full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || path.StartsWith('.'))
        {
            throw new UnsafeOutputPathException($"'{path}' is outside the output folder '{Description}'; nothing was written there.");
        }

        return full;
    }

    // A class, not a struct: the enumerator over a reference type is the runtime's own precompiled code,
    // where one over a struct is compiled in every process, first without optimising.
    private sealed record Listed(string Path, long Length, long Modified)
    {
        /// <summary>What the state says of the file, when it is the file the state knows: the same size and time.</summary>
        public StateEntry? Known { get; init; }
    }

    private sealed record Staged(string Temporary, string Sha256, long Length, long Modified);

    private sealed class FolderLock(LocalFolderTarget target, FileStream stream, string lockPath, bool createdFolder) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            target.CloseJournal();
            target._lock = null;

            // Files staged by a run that stopped before writing them (its content had errors). One the
            // system keeps open stays for the next run's read of the folder to remove.
            try
            {
                target.DeleteTemporaryFolder();
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
            }

            // A run that wrote nothing (its content had errors) leaves no folder of its own making
            // behind. The lock file goes while still held, so a waiting run makes a fresh one.
            if (createdFolder && Directory.EnumerateFileSystemEntries(target._root).All(e => e == lockPath))
            {
                try
                {
                    File.Delete(lockPath);
                    Directory.Delete(target._root);
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                    // Another run's files arrived meanwhile, or the system keeps open files: the folder stays.
                }
            }

            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }
}
