using System.IO.Compression;
using System.Text.Json;
using GroupWebhookFunctions.TencentChat;
using GroupWebhookFunctions.TencentChat.Rest;
using Microsoft.Extensions.Time.Testing;

namespace GroupWebhookFunctions.Tests.TencentChat;

public class UserSigTests
{
    private const string Key = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";

    [Theory]
    [InlineData("xiaojun", 15552000, "LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4=")]
    [InlineData("administrator", 86400, "yLAe+w7WUeUuqbV9h/TX78u21oTGi+i9Zp1u3PpnY60=")]
    public void The_signature_matches_Tencents_test_vectors(string identifier, long expire, string expected) =>
        Assert.Equal(expected, UserSig.Signature(1400000000, identifier, Key, 1700000000, expire));

    [Fact]
    public void The_UserSig_decodes_to_Tencents_document()
    {
        var document = Decode(UserSig.Create(1400000000, "xiaojun", Key, 1700000000, 15552000));

        Assert.Equal("2.0", document.GetProperty("TLS.ver").GetString());
        Assert.Equal("xiaojun", document.GetProperty("TLS.identifier").GetString());
        Assert.Equal(1400000000, document.GetProperty("TLS.sdkappid").GetInt64());
        Assert.Equal(15552000, document.GetProperty("TLS.expire").GetInt64());
        Assert.Equal(1700000000, document.GetProperty("TLS.time").GetInt64());
        Assert.Equal("LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4=", document.GetProperty("TLS.sig").GetString());
    }

    [Fact]
    public void The_UserSig_uses_Tencents_base64_alphabet()
    {
        var sig = UserSig.Create(1400000000, "xiaojun", Key, 1700000000, 15552000);

        Assert.DoesNotContain('+', sig);
        Assert.DoesNotContain('/', sig);
        Assert.DoesNotContain('=', sig);
        // The Python library's string (zlib's own compressor) decodes to the same document.
        var python = Decode("eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwhWZiflZpXlQqeKU7MSCgswUJStDEwMogMikVhRkFqUCxU1NTY3goiWZuSAxc1S1xZnpQJN9yhzNU-Q9y83Tg4vzirPLwqqcXAL8nZ1dkkr9nMtN3D3KQ5wNkjILtJ1MbJVqAa3HMfI_");
        Assert.Equal(Decode(sig).GetProperty("TLS.sig").GetString(), python.GetProperty("TLS.sig").GetString());
    }

    [Fact]
    public void A_UserSig_is_reused_until_its_renewal_time_and_remade_after_or_when_renewed()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1700000000));
        var sigs = new UserSigSource(new TencentChatOptions { SdkAppId = "1400000000", AdminIdentifier = "administrator", SecretKey = Key }, clock);

        var first = sigs.Current;
        clock.Advance(TimeSpan.FromHours(23));
        Assert.Same(first, sigs.Current);
        clock.Advance(TimeSpan.FromHours(1));
        var second = sigs.Current;
        Assert.NotEqual(first, second);
        Assert.Equal(1700000000 + 24 * 3600, Decode(second).GetProperty("TLS.time").GetInt64());
        Assert.True(Decode(second).GetProperty("TLS.expire").GetInt64() >= 24 * 3600 * 2, "validity well beyond the renewal time");
        clock.Advance(TimeSpan.FromMinutes(1));
        sigs.Renew();
        Assert.NotEqual(second, sigs.Current);
    }

    private static JsonElement Decode(string userSig)
    {
        var compressed = Convert.FromBase64String(userSig.Replace('*', '+').Replace('-', '/').Replace('_', '='));
        using var zlib = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var inflated = new MemoryStream();
        zlib.CopyTo(inflated);
        return JsonDocument.Parse(inflated.ToArray()).RootElement.Clone();
    }
}
