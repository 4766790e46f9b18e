using System.Collections;
using System.Globalization;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace LondonTories.Publishing.Rendering;

/// <summary>
/// How much of a seat's page list one render read: the first <see cref="Entries"/> entries, whether
/// it found where the list ends, or the whole list (anything that needs its length, such as
/// <c>pages.size</c>). A page whose layout read the same part of an unchanged list renders the same.
/// </summary>
public readonly record struct ListRead(int Entries, bool End, bool Whole)
{
    public static ListRead None => default;

    // The forms layouts give nearly every time, made once: every page's input key on every run holds one.
    private static readonly string[] Counted = [.. Enumerable.Range(0, 64).Select(n => n.ToString(CultureInfo.InvariantCulture))];
    private static readonly string[] CountedToEnd = [.. Counted.Select(n => n + "e")];

    /// <summary>A short text form, kept in the page's input key so the next run can check the same part.</summary>
    public override string ToString() => Whole ? "all"
        : (uint)Entries < Counted.Length ? (End ? CountedToEnd : Counted)[Entries]
        : string.Create(CultureInfo.InvariantCulture, $"{Entries}{(End ? "e" : string.Empty)}");

    public static bool TryParse(ReadOnlySpan<char> text, out ListRead read)
    {
        read = default;
        if (text is "all")
        {
            read = new ListRead(0, false, true);
            return true;
        }

        var end = text.EndsWith('e');
        if (int.TryParse(end ? text[..^1] : text, NumberStyles.None, CultureInfo.InvariantCulture, out var entries))
        {
            read = new ListRead(entries, end, false);
            return true;
        }

        return false;
    }
}

/// <summary>
/// A seat's page list as one template render sees it, noting what the render reads of it: entries in
/// order as a loop takes them, and the length only when something asks for it. Read-only.
/// </summary>
internal sealed class PageListView(IReadOnlyList<ScriptObject> entries) : IList
{
    private int _entries;
    private bool _end;
    private bool _whole;

    public ListRead Read => _whole ? new ListRead(0, false, true) : new ListRead(_entries, _end, false);

    /// <summary>The length, for the engine's own limits: unlike <see cref="Count"/>, not a read by the layout.</summary>
    public int Size => entries.Count;

    public int Count
    {
        get
        {
            _whole = true;
            return entries.Count;
        }
    }

    public bool IsFixedSize => true;

    public bool IsReadOnly => true;

    public bool IsSynchronized => false;

    public object SyncRoot => this;

    public object? this[int index]
    {
        get
        {
            // An index can be out of range, which only the length decides.
            _whole = true;
            return entries[index];
        }

        set => throw ReadOnly();
    }

    public IEnumerator GetEnumerator()
    {
        for (var i = 0; ; i++)
        {
            if (i >= entries.Count)
            {
                _end = true;
                _entries = Math.Max(_entries, i);
                yield break;
            }

            _entries = Math.Max(_entries, i + 1);
            yield return entries[i];
        }
    }

    public bool Contains(object? value)
    {
        _whole = true;
        return entries.Contains(value);
    }

    public int IndexOf(object? value)
    {
        _whole = true;
        for (var i = 0; i < entries.Count; i++)
        {
            if (Equals(entries[i], value))
            {
                return i;
            }
        }

        return -1;
    }

    public void CopyTo(Array array, int index)
    {
        _whole = true;
        for (var i = 0; i < entries.Count; i++)
        {
            array.SetValue(entries[i], index + i);
        }
    }

    public int Add(object? value) => throw ReadOnly();

    public void Clear() => throw ReadOnly();

    public void Insert(int index, object? value) => throw ReadOnly();

    public void Remove(object? value) => throw ReadOnly();

    public void RemoveAt(int index) => throw ReadOnly();

    private static ScriptRuntimeException ReadOnly() => new(default(SourceSpan), "pages is read-only; copy it with array.add or array.sort to change it.");
}

/// <summary>
/// A list whose entries are made the first time they are read, once each, from any thread: every
/// reader sees the same object at an index.
/// </summary>
internal sealed class EntriesOnDemand<T>(int count, Func<int, T> make) : IReadOnlyList<T>
    where T : class
{
    private readonly T?[] _made = new T?[count];

    public int Count => _made.Length;

    public T this[int index] => Volatile.Read(ref _made[index]) ?? Interlocked.CompareExchange(ref _made[index], make(index), null) ?? _made[index]!;

    public IEnumerator<T> GetEnumerator()
    {
        for (var i = 0; i < _made.Length; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
