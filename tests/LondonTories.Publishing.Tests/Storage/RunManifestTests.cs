using System.Text;
using LondonTories.Publishing.Content;
using LondonTories.Publishing.Storage;

namespace LondonTories.Publishing.Tests.Storage;

/// <summary>Run manifests as history stores them: those from before packs still place every file, and a packed file comes back exactly.</summary>
public sealed class RunManifestTests
{
    [Fact]
    public void A_manifest_from_before_packs_places_each_file_whole_under_files()
    {
        var json = """
            {
              "run_id": "20261130T115900Z-0ldlay0u",
              "recorded": "2026-11-30T11:59:00+00:00",
              "files": {
                "web/battersea/index.html": "aa00000000000000000000000000000000000000000000000000000000000000"
              }
            }
            """;

        var manifest = BinaryData.FromString(json).ToObjectFromJson<RunManifest>(SiteHistory.Json)!;

        Assert.Equal("20261130T115900Z-0ldlay0u", manifest.RunId);
        Assert.Empty(manifest.Kept);
        Assert.Empty(manifest.Packs);
        var kept = manifest.Locate(manifest.Files["web/battersea/index.html"]);
        Assert.Equal(new KeptBytes("files/aa00000000000000000000000000000000000000000000000000000000000000"), kept);
        Assert.False(kept.InPack);
    }

    [Fact]
    public void A_packed_manifest_round_trips_with_each_file_placed_in_its_pack()
    {
        var sha = Hashing.Sha256Hex("<p>Battersea</p>");
        var manifest = new RunManifest("20261130T120000Z-0123abcd", new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero),
            new SortedDictionary<string, string>(StringComparer.Ordinal) { ["web/battersea/index.html"] = sha })
        {
            Kept = new(StringComparer.Ordinal) { [sha] = new KeptBytes("packs/20261130T120000Z-0123abcd-0.pack", 4096, 31) },
            Packs = new(StringComparer.Ordinal) { ["packs/20261130T120000Z-0123abcd-0.pack"] = new KeptPack(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero)) },
        };

        var json = BinaryData.FromObjectAsJson(manifest, SiteHistory.Json).ToString();
        var read = BinaryData.FromString(json).ToObjectFromJson<RunManifest>(SiteHistory.Json)!;

        Assert.Contains("\"kept\":{\"" + sha + "\":{\"blob\":\"packs/20261130T120000Z-0123abcd-0.pack\",\"offset\":4096,\"length\":31}}", json, StringComparison.Ordinal);
        Assert.Contains("\"encoding\":\"deflate\"", json, StringComparison.Ordinal);
        Assert.Equal(manifest.Files, read.Files);
        Assert.Equal(manifest.Kept, read.Kept);
        Assert.Equal(manifest.Packs, read.Packs);
        Assert.True(read.Locate(sha).InPack);
    }

    [Fact]
    public void A_file_packed_compressed_decodes_to_its_bytes_and_damage_is_never_taken_for_them()
    {
        var page = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("<p>Topic one matters in Wandsworth.</p>\n", 200)));
        var pack = new KeptPack(DateTimeOffset.UnixEpoch);

        var kept = KeptPack.Compress(page);
        var damaged = kept.ToArray();
        damaged[damaged.Length / 2] ^= 0x20;

        Assert.True(kept.Length < page.Length / 10, $"{kept.Length} bytes kept of {page.Length}");
        Assert.Equal(page, pack.Decode(kept));
        Assert.NotEqual(Hashing.Sha256Hex(page), pack.Decode(damaged) is { } decoded ? Hashing.Sha256Hex(decoded) : null);
        Assert.Null(new KeptPack(DateTimeOffset.UnixEpoch, "zstd").Decode(kept));
    }
}
