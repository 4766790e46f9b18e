namespace LondonTories.Cli;

/// <summary>A usage mistake on the command line: reported with the usage, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// The options of one verb: <c>--name value</c> pairs and <c>--flag</c> switches, each allowed once.
/// </summary>
public sealed class Arguments
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public Arguments(IEnumerable<string> args, IReadOnlySet<string> valueOptions, IReadOnlySet<string> flags)
    {
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var arg = e.Current;
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals > 0 ? arg[..equals] : arg;
            if (!name.StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"unexpected argument '{arg}'.");
            }

            if (_values.ContainsKey(name))
            {
                throw new UsageException($"{name} is given twice.");
            }

            if (flags.Contains(name))
            {
                // '--force=no' read as '--force' would do the opposite of what it says.
                if (equals > 0)
                {
                    throw new UsageException($"{name} is a switch and takes no value: write {name} to switch it on, or leave it out.");
                }

                _values[name] = null;
            }
            else if (valueOptions.Contains(name))
            {
                if (equals > 0)
                {
                    _values[name] = arg[(equals + 1)..];
                }
                else if (e.MoveNext() && !e.Current.StartsWith("--", StringComparison.Ordinal))
                {
                    _values[name] = e.Current;
                }
                else
                {
                    throw new UsageException($"{name} needs a value.");
                }
            }
            else
            {
                var known = valueOptions.Concat(flags).ToList();
                var suggestion = LondonTories.Publishing.Diagnostics.DidYouMean.Suggest(name, known);
                throw new UsageException($"unknown option '{name}'.{(suggestion is null ? string.Empty : $" Did you mean '{suggestion}'?")}");
            }
        }
    }

    public string? Value(string name) => _values.TryGetValue(name, out var value) ? value : null;

    public string Value(string name, string fallback) => Value(name) ?? fallback;

    public bool Flag(string name) => _values.ContainsKey(name);
}
