using LondonTories.Functions;
using Microsoft.Extensions.Configuration;

namespace LondonTories.Integration.Tests.Fixtures;

/// <summary>The Functions app's settings as a test gives them, read through the app's own <see cref="AppConfiguration"/>.</summary>
internal static class AppSettingsFrom
{
    public static AppConfiguration Values(Dictionary<string, string?> values) => new(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
}
