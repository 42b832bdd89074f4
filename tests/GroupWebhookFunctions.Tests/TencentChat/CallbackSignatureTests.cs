using GroupWebhookFunctions.TencentChat;

namespace GroupWebhookFunctions.Tests.TencentChat;

public class CallbackSignatureTests
{
    private const string OfficialToken = "xxxxyyyy";
    private const string OfficialTime = "1669872112";
    private const string OfficialSign = "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061";
    private static readonly DateTimeOffset OfficialInstant = DateTimeOffset.FromUnixTimeSeconds(1669872112);

    [Fact]
    public void Compute_matches_Tencents_official_vector() =>
        Assert.Equal(OfficialSign, CallbackSignature.Compute(OfficialToken, OfficialTime));

    [Fact]
    public void Verify_accepts_Tencents_official_vector() =>
        Assert.Equal(SignatureCheck.Valid, CallbackSignature.Verify(OfficialToken, OfficialSign, OfficialTime, OfficialInstant, 60));

    [Theory]
    [InlineData(-60, SignatureCheck.Valid)]
    [InlineData(60, SignatureCheck.Valid)]
    [InlineData(-61, SignatureCheck.Expired)]
    [InlineData(61, SignatureCheck.Expired)]
    public void Verify_allows_exactly_the_configured_clock_skew_either_way(int secondsFromNow, SignatureCheck expected)
    {
        var now = OfficialInstant.AddSeconds(-secondsFromNow);
        Assert.Equal(expected, CallbackSignature.Verify(OfficialToken, OfficialSign, OfficialTime, now, 60));
    }

    [Fact]
    public void Verify_honours_a_narrower_window() =>
        Assert.Equal(SignatureCheck.Expired, CallbackSignature.Verify(OfficialToken, OfficialSign, OfficialTime, OfficialInstant.AddSeconds(11), 10));

    [Theory]
    [InlineData(null, OfficialTime, SignatureCheck.Missing)]
    [InlineData("", OfficialTime, SignatureCheck.Missing)]
    [InlineData(OfficialSign, null, SignatureCheck.Missing)]
    [InlineData(OfficialSign, "", SignatureCheck.Missing)]
    [InlineData(OfficialSign, "16698721l2", SignatureCheck.MalformedRequestTime)]
    [InlineData(OfficialSign, "-1669872112", SignatureCheck.MalformedRequestTime)]
    [InlineData(OfficialSign, "1669872112.0", SignatureCheck.MalformedRequestTime)]
    [InlineData("17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d48406", OfficialTime, SignatureCheck.Mismatch)]
    [InlineData("17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d4840611", OfficialTime, SignatureCheck.Mismatch)]
    [InlineData("z7773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061", OfficialTime, SignatureCheck.Mismatch)]
    [InlineData("07773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061", OfficialTime, SignatureCheck.Mismatch)]
    [InlineData("not a signature", OfficialTime, SignatureCheck.Mismatch)]
    public void Verify_refuses_missing_or_garbled_values(string? sign, string? requestTime, SignatureCheck expected) =>
        Assert.Equal(expected, CallbackSignature.Verify(OfficialToken, sign, requestTime, OfficialInstant, 60));

    [Fact]
    public void Verify_refuses_a_signature_made_with_another_token() =>
        Assert.Equal(SignatureCheck.Mismatch, CallbackSignature.Verify("xxxxyyyz", OfficialSign, OfficialTime, OfficialInstant, 60));

    [Fact]
    public void Verify_refuses_the_right_signature_for_another_time()
    {
        var otherTime = (1669872112 + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(SignatureCheck.Mismatch, CallbackSignature.Verify(OfficialToken, OfficialSign, otherTime, OfficialInstant, 60));
    }
}
