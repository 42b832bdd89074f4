using GroupWebhookFunctions.Synchronizing;
using GroupWebhookFunctions.TencentChat;

namespace GroupWebhookFunctions.Tests.Synchronizing;

public class GroupMessageMapperTests
{
    private static MessageElement Text(string text) => new() { MsgType = "TIMTextElem", MsgContent = new TextContent { Text = text } };

    [Fact]
    public void The_browsing_text_is_cut_at_its_limit_with_an_ellipsis()
    {
        var text = GroupMessageMapper.RenderText([Text(new string('a', 3000)), Text(new string('b', 3000))])!;

        Assert.Equal(GroupMessageColumns.MaxTextLength, text.Length);
        Assert.EndsWith("b…", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_cut_never_splits_a_surrogate_pair()
    {
        // The emoji's high surrogate would be the last character kept before the ellipsis.
        var text = GroupMessageMapper.RenderText([Text(new string('a', GroupMessageColumns.MaxTextLength - 2) + "😀😀")])!;

        Assert.EndsWith("a…", text, StringComparison.Ordinal);
        Assert.DoesNotContain(text, char.IsSurrogate);
    }
}
