using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LondonTories.Publishing.Content;

public static class Hashing
{
    public static string Sha256Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string Sha256Hex(string text) => Sha256Hex(Encoding.UTF8.GetBytes(text));
}

/// <summary>
/// The SHA-256 of text appended piece by piece, as <see cref="Hashing.Sha256Hex(string)"/> of the whole
/// would give it, without building the text: input keys are taken for every page on every run, and
/// building them as strings made them a large share of what a run allocates.
/// </summary>
public sealed class TextDigest
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(1024);
    private int _length;

    public TextDigest Append(string? text)
    {
        if (!string.IsNullOrEmpty(text))
        {
            Reserve(Encoding.UTF8.GetMaxByteCount(text.Length));
            _length += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_length));
        }

        return this;
    }

    public TextDigest Append(char separator)
    {
        Span<char> one = [separator];
        Reserve(4);
        _length += Encoding.UTF8.GetBytes(one, _buffer.AsSpan(_length));
        return this;
    }

    public TextDigest Append(long number)
    {
        Reserve(20);
        number.TryFormat(_buffer.AsSpan(_length), out var written, provider: CultureInfo.InvariantCulture);
        _length += written;
        return this;
    }

    /// <summary>The digest in lower-case hex, after <paramref name="prefix"/> and a colon when one is given; the digest cannot be appended to afterwards.</summary>
    public string ToHex(string? prefix = null)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(_buffer.AsSpan(0, _length), hash);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _length = 0;
        if (prefix is null)
        {
            return Convert.ToHexStringLower(hash);
        }

        // One string, where joining the hex to the prefix made three: a prefix is a few characters.
        Span<char> text = stackalloc char[prefix.Length + 1 + (2 * SHA256.HashSizeInBytes)];
        prefix.CopyTo(text);
        text[prefix.Length] = ':';
        Convert.TryToHexStringLower(hash, text[(prefix.Length + 1)..], out _);
        return new string(text);
    }

    private void Reserve(int bytes)
    {
        if (_length + bytes <= _buffer.Length)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + bytes));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = larger;
    }
}
