using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.TencentChat;

namespace GroupWebhookFunctions.Tests.Synchronizing;

public class TableKeysTests
{
    private static MessageIdentity Identify(string groupId, long msgSeq, string? topicId = null, string type = "Public", string? msgId = null, long random = 1, long msgTime = 2)
    {
        Assert.Equal(IdentityProblem.None, MessageIdentity.TryCreate(groupId, topicId, type, msgSeq, msgId, "from", random, msgTime, out var identity));
        return identity;
    }

    [Theory]
    [InlineData("@TGS#2J4SZEAEL", "@TGS~232J4SZEAEL")]
    [InlineData("plain-id_1.2", "plain-id_1.2")]
    [InlineData("a/b\\c?d#e", "a~2Fb~5Cc~3Fd~23e")]
    [InlineData("tab\there", "tab~09here")]
    [InlineData("~", "~7E")]
    [InlineData("群聊", "~E7~BE~A4~E8~81~8A")]
    [InlineData("😀", "~F0~9F~98~80")]
    public void Escaping_leaves_only_characters_that_table_keys_allow(string value, string expected) =>
        Assert.Equal(expected, TableKeys.EscapeKey(value));

    [Fact]
    public void Distinct_ids_keep_distinct_keys_even_when_one_looks_escaped() =>
        Assert.NotEqual(TableKeys.EscapeKey("a#"), TableKeys.EscapeKey("a~23"));

    [Fact]
    public void Row_keys_sort_as_MsgSeq_does()
    {
        long[] sequences = [1, 2, 9, 10, 99, 100, 123456789, long.MaxValue];
        var keys = sequences.Select(s => TableKeys.MessageRow(Identify("@TGS#1", s))).ToArray();

        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
    }

    [Fact]
    public void A_topic_has_its_own_partition_inside_its_group()
    {
        var group = TableKeys.MessagePartition(Identify("@TGS#_@TGS#c", 1));
        var topic = TableKeys.MessagePartition(Identify("@TGS#_@TGS#c", 1, "@TGS#_@TGS#c@TOPIC#_t"));

        Assert.NotEqual(group, topic);
        Assert.StartsWith(group + "!", topic, StringComparison.Ordinal);
    }

    [Fact]
    public void Identities_without_a_sequence_sort_after_every_sequence()
    {
        var byId = TableKeys.MessageRow(Identify("@TGS#a", 0, type: "AVChatRoom", msgId: "1-2-3"));
        var last = TableKeys.MessageRow(Identify("@TGS#a", long.MaxValue));

        Assert.True(string.CompareOrdinal(byId, last) > 0);
    }

    [Theory]
    [InlineData("#", "ab")]
    [InlineData("群", "")]
    [InlineData("😀", "abcd")]
    [InlineData("x", "")]
    public void Fit_agrees_with_the_length_of_the_keys_built_at_every_length_around_the_limit(string repeated, string tail)
    {
        for (var count = 1; count < 600; count++)
        {
            var groupId = string.Concat(Enumerable.Repeat(repeated, count)) + tail;
            var identity = Identify(groupId, 1);
            var key = TableKeys.MessagePartition(identity);

            Assert.Equal(key.Length, TableKeys.EscapedLength(groupId));
            Assert.Equal(key.Length <= TableKeys.MaxKeyLength, TableKeys.Fit(identity));
        }
    }

    [Fact]
    public void The_limit_is_512_characters_the_1_KiB_Table_Storage_allows_a_key() =>
        Assert.Equal(512, TableKeys.MaxKeyLength);

    [Fact]
    public void A_long_MsgId_matters_only_where_it_is_the_row_key()
    {
        var longMsgId = new string('#', 400);

        Assert.True(TableKeys.Fit(Identify("@TGS#1", 7, msgId: longMsgId)));
        Assert.False(TableKeys.Fit(Identify("@TGS#live", 7, type: "AVChatRoom", msgId: longMsgId)));
    }

    [Fact]
    public void Row_keys_hashed_from_numbers_are_the_same_whatever_the_current_culture()
    {
        var invariant = (TableKeys.FailureRow(1670574414123, "jared", -5, 10023, null), TableKeys.MessageRow(Identify("@TGS#live", 0, type: "AVChatRoom", random: -5, msgTime: -1)));
        var culture = (System.Globalization.CultureInfo)System.Globalization.CultureInfo.InvariantCulture.Clone();
        culture.NumberFormat.NegativeSign = "\u2212";
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = culture;
            Assert.Equal(invariant, (TableKeys.FailureRow(1670574414123, "jared", -5, 10023, null), TableKeys.MessageRow(Identify("@TGS#live", 0, type: "AVChatRoom", random: -5, msgTime: -1))));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }
}
