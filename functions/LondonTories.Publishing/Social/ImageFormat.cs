namespace LondonTories.Publishing.Social;

/// <summary>A picture's format as its leading bytes give it, whatever its file is called.</summary>
public sealed record ImageFormat(string Name, string Extension, string MediaType)
{
    public static readonly ImageFormat Jpeg = new("JPEG", ".jpg", "image/jpeg");
    public static readonly ImageFormat Png = new("PNG", ".png", "image/png");
    public static readonly ImageFormat Gif = new("GIF", ".gif", "image/gif");
    public static readonly ImageFormat WebP = new("WebP", ".webp", "image/webp");
    public static readonly ImageFormat Heic = new("HEIC", ".heic", "image/heic");
    public static readonly ImageFormat Avif = new("AVIF", ".avif", "image/avif");

    public string Described => $"a {Name} image";

    /// <summary>The format a name's extension promises, or null for one that names no picture format here.</summary>
    public static ImageFormat? OfExtension(string extension) => extension.ToLowerInvariant() switch
    {
        ".jpg" or ".jpeg" => Jpeg,
        ".png" => Png,
        ".gif" => Gif,
        ".webp" => WebP,
        ".heic" or ".heif" => Heic,
        ".avif" => Avif,
        _ => null,
    };

    /// <summary>The format of a file by its signature, or null where it is none of these.</summary>
    public static ImageFormat? Of(ReadOnlySpan<byte> bytes) =>
        bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? Jpeg
        : bytes.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]) ? Png
        : bytes.StartsWith("GIF87a"u8) || bytes.StartsWith("GIF89a"u8) ? Gif
        : bytes.Length >= 12 && bytes.StartsWith("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8) ? WebP
        : bytes.Length >= 12 && bytes[4..8].SequenceEqual("ftyp"u8) ? bytes[8..12] switch
        {
            var brand when brand.SequenceEqual("avif"u8) || brand.SequenceEqual("avis"u8) => Avif,
            var brand when brand.SequenceEqual("heic"u8) || brand.SequenceEqual("heix"u8) || brand.SequenceEqual("mif1"u8) || brand.SequenceEqual("msf1"u8) => Heic,
            _ => null,
        }
        : null;
}
