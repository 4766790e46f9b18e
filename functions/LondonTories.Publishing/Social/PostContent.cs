using System.Collections.Immutable;
using LondonTories.Publishing.Content;

namespace LondonTories.Publishing.Social;

/// <summary>What <see cref="PostLoader"/> reads: the posts, the channels they go out on, and the spending limits of site.yaml.</summary>
public sealed record PostContent(ImmutableArray<PostFile> Posts, ImmutableArray<Channel> Channels, ImmutableArray<SpendLimit> SpendLimits)
{
    public static readonly PostContent None = new([], [], []);
}

/// <summary>The social part of loaded content, read as if it were the content's own.</summary>
public static class SitePosts
{
    extension(SiteContent content)
    {
        /// <summary>The social posts under <c>social/</c>, each with its translations.</summary>
        public ImmutableArray<PostFile> Posts => Of(content).Posts;

        /// <summary>The accounts of channels.yaml that posts go out on; empty when there is no such file.</summary>
        public ImmutableArray<Channel> Channels => Of(content).Channels;

        /// <summary>Spending limits for sponsored social posts (site.yaml's <c>spend_limits:</c>).</summary>
        public ImmutableArray<SpendLimit> SpendLimits => Of(content).SpendLimits;
    }

    private static PostContent Of(SiteContent content) => content.Part<PostContent>() ?? PostContent.None;
}
