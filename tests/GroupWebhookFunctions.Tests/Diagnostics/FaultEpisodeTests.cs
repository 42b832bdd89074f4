using GroupWebhookFunctions.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace GroupWebhookFunctions.Tests.Diagnostics;

public class FaultEpisodeTests
{
    private readonly FakeTimeProvider _clock = new();
    private readonly FaultEpisode _episode;

    public FaultEpisodeTests() => _episode = new FaultEpisode(_clock, TimeSpan.FromMinutes(1));

    [Fact]
    public void The_first_failure_is_reported_in_full_and_the_rest_are_counted_until_the_interval_passes()
    {
        Assert.Equal(FaultReport.First, _episode.Fail());
        for (var i = 0; i < 50; i++)
            Assert.Equal(FaultReport.Counted, _episode.Fail());

        _clock.Advance(TimeSpan.FromSeconds(61));

        Assert.Equal(FaultReport.Summary, _episode.Fail());
        Assert.Equal(51, _episode.TakeCount());
        Assert.Equal(FaultReport.Counted, _episode.Fail());
    }

    [Fact]
    public void A_success_ends_the_episode_once_with_its_failures_and_length()
    {
        _episode.Fail();
        _clock.Advance(TimeSpan.FromSeconds(5));
        _episode.Fail();

        Assert.Equal((2L, TimeSpan.FromSeconds(5)), _episode.Succeed());
        Assert.Null(_episode.Succeed());
        Assert.Equal(FaultReport.First, _episode.Fail());
    }

    [Fact]
    public void One_message_retried_between_other_messages_successes_is_reported_in_full_once()
    {
        Assert.Equal(FaultReport.First, _episode.Fail("PK/0001"));
        Assert.NotNull(_episode.Succeed());

        for (var attempt = 2; attempt <= 5; attempt++)
        {
            Assert.Equal(FaultReport.Counted, _episode.Fail("PK/0001"));
            Assert.Null(_episode.Succeed());
        }
        Assert.Equal(FaultReport.First, _episode.Fail("PK/0002"));
    }
}
