using GroupWebhookFunctions.Diagnostics;

namespace GroupWebhookFunctions.Tests.Diagnostics;

public class UntrustedTextTests
{
    [Theory]
    [InlineData("1.2.3.4\r\n      Acknowledged", "1.2.3.4\\u000d\\u000a      Acknowledged")]
    [InlineData("tab\there", "tab\\u0009here")]
    [InlineData("next\u2028line", "next\\u2028line")]
    [InlineData("right\u202eleft", "right\\u202eleft")]
    [InlineData("@TGS#2J4SZEAEL", "@TGS#2J4SZEAEL")]
    [InlineData("群😀", "群😀")]
    [InlineData(null, "")]
    public void Characters_that_could_forge_or_break_a_line_are_escaped(string? value, string shown) =>
        Assert.Equal(shown, new UntrustedText(value).ToString());

    [Fact]
    public void Half_a_surrogate_pair_is_escaped() =>
        Assert.Equal("half\\ud800 and \\udc00", new UntrustedText("half\ud800 and \udc00").ToString());

    [Fact]
    public void A_long_value_is_cut_to_the_documented_length_and_says_how_long_it_was()
    {
        var shown = new UntrustedText(new string('x', 7000)).ToString();

        Assert.StartsWith(new string('x', UntrustedText.MaxLength) + "…(7000 characters)", shown, StringComparison.Ordinal);
        Assert.True(shown.Length < UntrustedText.MaxLength + 24);
    }

    [Fact]
    public void The_cut_never_leaves_half_a_surrogate_pair()
    {
        var shown = new UntrustedText(new string('x', UntrustedText.MaxLength - 1) + "😀😀").ToString();

        Assert.False(char.IsHighSurrogate(shown[UntrustedText.MaxLength - 2]) && !char.IsLowSurrogate(shown[UntrustedText.MaxLength - 1]));
        Assert.StartsWith(new string('x', UntrustedText.MaxLength - 1) + "…", shown, StringComparison.Ordinal);
    }
}
