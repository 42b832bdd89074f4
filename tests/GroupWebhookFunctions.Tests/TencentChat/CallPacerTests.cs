using GroupWebhookFunctions.TencentChat.Rest;
using Microsoft.Extensions.Time.Testing;

namespace GroupWebhookFunctions.Tests.TencentChat;

public class CallPacerTests
{
    [Fact]
    public async Task The_call_after_the_limit_waits_until_the_oldest_is_a_second_old()
    {
        var clock = new FakeTimeProvider();
        using var pacer = new CallPacer(3, clock);
        for (var i = 0; i < 3; i++)
            await pacer.WaitAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMilliseconds(400));

        var fourth = pacer.WaitAsync(CancellationToken.None);
        await Task.Delay(50);
        Assert.False(fourth.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(599));
        await Task.Delay(50);
        Assert.False(fourth.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await fourth.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Calls_spread_over_a_second_never_wait()
    {
        var clock = new FakeTimeProvider();
        using var pacer = new CallPacer(2, clock);
        for (var i = 0; i < 10; i++)
        {
            var call = pacer.WaitAsync(CancellationToken.None);
            Assert.True(call.IsCompleted, $"call {i} waited");
            await call;
            clock.Advance(TimeSpan.FromMilliseconds(500));
        }
    }
}
