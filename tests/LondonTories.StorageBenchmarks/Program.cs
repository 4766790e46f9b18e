using System.Diagnostics;
using System.Globalization;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using LondonTories.Benchmarks;
using LondonTories.Integration.Tests.Fixtures;
using LondonTories.Publishing;
using LondonTories.Publishing.Pipeline;
using LondonTories.Publishing.Storage;
using Microsoft.Extensions.DependencyInjection;

// Usage: dotnet run -c Release --project tests/LondonTories.StorageBenchmarks [-- --pages 200] [--corpus-only DIR]
var pages = 200;
string? corpusOnly = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--pages" when i + 1 < args.Length:
            pages = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--corpus-only" when i + 1 < args.Length:
            corpusOnly = args[++i];
            break;
        default:
            Console.Error.WriteLine("Usage: LondonTories.StorageBenchmarks [--pages N] [--corpus-only DIR]");
            return 2;
    }
}

var repository = AzuriteServer.RepositoryRoot();
if (corpusOnly is not null)
{
    CorpusGenerator.Write(corpusOnly, File.ReadAllText(Path.Combine(repository, "content", "site.yaml")), File.ReadAllText(Path.Combine(repository, "content", "constituencies.yaml")), pages);
    Console.WriteLine($"Wrote {pages} pages x 75 seats of content to {corpusOnly}.");
    return 0;
}

var corpus = Directory.CreateTempSubdirectory("londontories-corpus-").FullName;
var rendered = Directory.CreateTempSubdirectory("londontories-rendered-").FullName;
// In memory: the machine's disk is shared, and the measurement is of the pipeline, not of the disk.
// Each of the three timed uploads (raw, publish, raw) has an Azurite of its own, started empty and
// warmed alike. When all three shared one, the raw upload after the publish, to an Azurite holding
// the blobs of both uploads before it, took 25 to 40% longer than the one before (20.6 s against
// 16.4 s, 27.6 s against 19.7 s), so the order of the uploads was part of the ratio.
using var azurite = AzuriteServer.Start(accounts: 5, inMemory: true);
Console.WriteLine($"Azurite on 127.0.0.1:{azurite.BlobPort} (blobs) and :{azurite.TablePort} (tables), in memory.");
try
{
    CorpusGenerator.Write(corpus, File.ReadAllText(Path.Combine(repository, "content", "site.yaml")), File.ReadAllText(Path.Combine(repository, "content", "constituencies.yaml")), pages);
    var now = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    // The blobs a publish writes, rendered once to a folder so the raw uploads send the very same bytes.
    var local = new ServiceCollection().AddLondonToriesPublishing().BuildServiceProvider();
    var localRun = await local.GetRequiredService<Publisher>().PublishAsync(new FolderContentSource(corpus), new LocalFolderTarget(rendered), new PublishOptions { Now = now }, CancellationToken.None);
    if (!localRun.Succeeded)
    {
        Console.Error.WriteLine(string.Join('\n', localRun.Diagnostics));
        return 1;
    }

    var web = Path.Combine(rendered, "web");
    var files = Directory.EnumerateFiles(web, "*", SearchOption.AllDirectories)
        .Select(f => (Name: Path.GetRelativePath(web, f).Replace('\\', '/'), Bytes: File.ReadAllBytes(f)))
        .ToList();
    var megabytes = files.Sum(f => f.Bytes.Length) / 1024.0 / 1024.0;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"Corpus: {pages} pages x 75 seats -> {localRun.Pages:N0} localised pages, {files.Count:N0} files, {megabytes:0.0} MiB (local render and write: {localRun.Elapsed.TotalSeconds:0.0} s)."));

    var options = new StorageOptions();
    var rawCpu = TimeSpan.Zero;
    async Task<TimeSpan> RawUploadAsync(AzuriteServer server, string account, int? take = null)
    {
        var container = new BlobServiceClient(server.ConnectionString(account), options.Apply(new BlobClientOptions())).GetBlobContainerClient("$web");
        await container.CreateIfNotExistsAsync();
        var started = Stopwatch.GetTimestamp();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        await Parallel.ForEachAsync(files.Take(take ?? files.Count), new ParallelOptions { MaxDegreeOfParallelism = Publisher.WriteParallelism }, async (file, ct) =>
            await container.GetBlobClient(file.Name).UploadAsync(new BinaryData(file.Bytes),
                new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = MediaTypes.For(file.Name) } }, ct));
        rawCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        return Stopwatch.GetElapsedTime(started);
    }

    var services = new ServiceCollection().AddLondonToriesPublishing().BuildServiceProvider();
    var storage = new SiteStorage(StorageConnection.Parse(azurite.ConnectionString("acct0002")), options);
    var publisher = services.GetRequiredService<StoragePublisher>();
    var publishCpu = TimeSpan.Zero;
    var lastWrite = TimeSpan.Zero;
    // When each step of the last run first reported, from the run's start: where a run's time goes.
    var steps = new Dictionary<string, TimeSpan>();
    async Task<(PublishRun Run, TimeSpan Elapsed)> PublishAsync()
    {
        var started = Stopwatch.GetTimestamp();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        lastWrite = TimeSpan.Zero;
        steps.Clear();
        var progress = new SynchronousProgress(p =>
        {
            steps.TryAdd(p.Step, Stopwatch.GetElapsedTime(started));
            if (p.Step == "write" && p.Done == p.Total)
            {
                lastWrite = Stopwatch.GetElapsedTime(started);
            }
        });
        var run = await publisher.PublishAsync(storage, new FolderContentSource(corpus), new PublishOptions { Now = now, Progress = progress }, "benchmark", CancellationToken.None);
        publishCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        return (run, Stopwatch.GetElapsedTime(started));
    }

    // Warm up the clients, the connections and Azurite itself before anything is timed.
    TimeSpan rawBefore, rawAfter, rawBeforeCpu;
    using (var before = AzuriteServer.Start(accounts: 5, inMemory: true))
    {
        await RawUploadAsync(before, "acct0004", take: 1000);
        rawBefore = await RawUploadAsync(before, "acct0001");
        rawBeforeCpu = rawCpu;
    }

    await RawUploadAsync(azurite, "acct0004", take: 1000);
    var (full, fullElapsed) = await PublishAsync();
    var fullCpu = publishCpu;
    var untilUploads = steps.GetValueOrDefault("write");
    var uploadsDone = lastWrite;
    using (var after = AzuriteServer.Start(accounts: 5, inMemory: true))
    {
        await RawUploadAsync(after, "acct0004", take: 1000);
        rawAfter = await RawUploadAsync(after, "acct0001");
    }

    var (noop, noopElapsed) = await PublishAsync();
    var listingStarted = Stopwatch.GetTimestamp();
    var listed = await storage.CreateTarget().ReadAsync(CancellationToken.None);
    var listing = Stopwatch.GetElapsedTime(listingStarted);
    // One page edited and published, then rolled back: the rollback reads what it restores from the pack, by ranges.
    File.WriteAllText(Path.Combine(corpus, "pages", "topic-1", "page-001.md"), CorpusGenerator.Page(1, edit: 1));
    var (edit, editElapsed) = await PublishAsync();
    var editSteps = string.Create(CultureInfo.InvariantCulture,
        $"load, lease and reading what the site holds {steps.GetValueOrDefault("render").TotalSeconds:0.00} s, render and indexes {(steps.GetValueOrDefault("write") - steps.GetValueOrDefault("render")).TotalSeconds:0.00} s, uploads {(lastWrite - steps.GetValueOrDefault("write")).TotalSeconds:0.00} s, then the pages' ledger, history, manifest and fingerprint {(editElapsed - lastWrite).TotalSeconds:0.00} s");
    var rollbackStarted = Stopwatch.GetTimestamp();
    var rollback = await services.GetRequiredService<SiteRollback>().RollbackAsync(storage, full.RunId, new FolderContentSource(corpus), "benchmark", CancellationToken.None);
    var rollbackElapsed = Stopwatch.GetElapsedTime(rollbackStarted);
    var manifest = (await storage.History.ReadManifestAsync(full.RunId, CancellationToken.None))!;
    var packs = new List<long>();
    await foreach (var blob in storage.History.Container.GetBlobsAsync(new GetBlobsOptions { Prefix = SiteHistory.PacksPrefix }))
    {
        if (manifest.Packs.ContainsKey(blob.Name))
        {
            packs.Add(blob.Properties.ContentLength ?? 0);
        }
    }

    var manifestSize = (await storage.History.Container.GetBlobClient($"{SiteHistory.RunsPrefix}{full.RunId}.json").GetPropertiesAsync()).Value.ContentLength;
    var raw = (rawBefore + rawAfter) / 2;
    var rawRate = files.Count / raw.TotalSeconds;
    var bestRawRate = files.Count / Math.Min(rawBefore.TotalSeconds, rawAfter.TotalSeconds);
    var publishRate = full.Written / fullElapsed.TotalSeconds;

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
        Raw upload of the same {files.Count:N0} blobs: {rawBefore.TotalSeconds:0.0} s before, {rawAfter.TotalSeconds:0.0} s after -> {rawRate:N0} blobs/s on average, {bestRawRate:N0} at best; this process's CPU {rawBeforeCpu.TotalSeconds:0.0} s and {rawCpu.TotalSeconds:0.0} s
        Full publish (load, render, list, upload, manifest, ledger of {full.LedgerChanges:N0} entities): {fullElapsed.TotalSeconds:0.0} s, {full.Written:N0} written -> {publishRate:N0} blobs/s, this process's CPU {fullCpu.TotalSeconds:0.0} s
          of which load, plan, render, list and upload (history packed alongside): {full.Result!.Elapsed.TotalSeconds:0.0} s (the 250th upload done after {untilUploads.TotalSeconds:0.0} s, the last after {uploadsDone.TotalSeconds:0.0} s, then the pages' ledger); the last pack blocks, the pack commits, the manifest, the ledger and the lease: {(fullElapsed - full.Result.Elapsed).TotalSeconds:0.0} s
          history: {manifest.Files.Count:N0} files in {packs.Count} packs of {packs.Sum() / 1024.0 / 1024.0:0.0} MiB, a manifest of {manifestSize / 1024.0 / 1024.0:0.0} MiB
        Ratio of publish rate to raw upload rate: {publishRate / rawRate:0.00} against the average, {publishRate / bestRawRate:0.00} against the best (target >= 0.80)
        No-op publish: {noopElapsed.TotalSeconds:0.00} s ({noop.Result!.Elapsed.TotalSeconds:0.00} s load, plan, list and compare; the rest the lease and the ledger), {noop.Written} written, {noop.Deleted} deleted, {noop.LedgerChanges} ledger changes
          the listing with metadata alone: {listing.TotalSeconds:0.00} s for {listed.Count:N0} blobs
        One page edited: {editElapsed.TotalSeconds:0.00} s, {edit.Written:N0} written ({editSteps}); rolled back in {rollbackElapsed.TotalSeconds:0.00} s ({rollback.Outcome}: {rollback.Written:N0} restored, {rollback.Deleted:N0} deleted, {rollback.LedgerChanges:N0} ledger changes)
        """));
    return full.Succeeded && noop.Written == 0 && manifest.Files.Count == files.Count && rollback.Succeeded && rollback.Written == edit.Written ? 0 : 1;
}
finally
{
    Directory.Delete(corpus, recursive: true);
    Directory.Delete(rendered, recursive: true);
}

/// <summary>Reports on the caller's thread, so the moment recorded is the moment it happened.</summary>
internal sealed class SynchronousProgress(Action<PublishProgress> report) : IProgress<PublishProgress>
{
    public void Report(PublishProgress value) => report(value);
}
