using System.Threading.Channels;

namespace LondonTories.Cli.Preview;

/// <summary>A message to the open preview pages: <c>reload</c>, or <c>errors</c> with the list as JSON.</summary>
public sealed record PreviewEvent(string Name, string Data);

/// <summary>Fans preview events out to every open page's event stream.</summary>
public sealed class PreviewEvents
{
    private readonly Lock _lock = new();
    private readonly List<Channel<PreviewEvent>> _subscribers = [];
    private bool _completed;

    public ChannelReader<PreviewEvent> Subscribe()
    {
        var channel = Channel.CreateBounded<PreviewEvent>(new BoundedChannelOptions(16) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_lock)
        {
            if (_completed)
            {
                channel.Writer.Complete();
            }
            else
            {
                _subscribers.Add(channel);
            }
        }

        return channel.Reader;
    }

    public void Unsubscribe(ChannelReader<PreviewEvent> reader)
    {
        lock (_lock)
        {
            _subscribers.RemoveAll(c => c.Reader == reader);
        }
    }

    public void Send(PreviewEvent message)
    {
        lock (_lock)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(message);
            }
        }
    }

    /// <summary>Ends every stream, so the server can stop without waiting for open pages.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            _completed = true;
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryComplete();
            }

            _subscribers.Clear();
        }
    }
}
