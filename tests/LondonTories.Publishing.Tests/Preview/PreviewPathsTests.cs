using LondonTories.Publishing.Preview;

namespace LondonTories.Publishing.Tests.Preview;

public sealed class PreviewPathsTests
{
    [Theory]
    [InlineData("/battersea", "/battersea/")]
    [InlineData("//battersea", "/battersea/")]
    [InlineData("///battersea", "/battersea/")]
    [InlineData("/battersea/housing", "/battersea/housing/")]
    public void A_folder_asked_for_without_its_slash_stays_on_this_host(string asked, string folder)
    {
        // A Location of //battersea/ or ///battersea/ is read by browsers as http://battersea/, another host.
        Assert.Equal(folder, PreviewPaths.FolderOf(asked));
    }

    [Theory]
    [InlineData("/assets/site.css")]
    [InlineData("/")]
    public void A_file_or_the_root_is_no_folder_to_redirect_to(string asked) => Assert.Null(PreviewPaths.FolderOf(asked));
}
