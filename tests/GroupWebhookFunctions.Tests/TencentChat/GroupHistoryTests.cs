using System.Text.Json;
using GroupWebhookFunctions.TencentChat.Rest;

namespace GroupWebhookFunctions.Tests.TencentChat;

public class GroupHistoryTests
{
    [Fact]
    public void The_documented_sample_answer_reads_newest_first_with_every_field()
    {
        var page = Read("""
            { "ActionStatus": "OK", "ErrorInfo": "", "ErrorCode": 0, "GroupId": "@TGS#15ERQPAER", "IsFinished": 1,
              "RspMsgList": [
                { "From_Account": "144115197276518801", "IsPlaceMsg": 0,
                  "MsgBody": [ { "MsgType": "TIMCustomElem", "MsgContent": { "Data": "...", "Desc": "MIF", "Ext": "" } },
                               { "MsgType": "TIMFaceElem", "MsgContent": { "Data": "", "Index": 15 } } ],
                  "MsgPriority": 1, "MsgRandom": 51083293, "MsgSeq": 7803321, "MsgTimeStamp": 1458721802 },
                { "From_Account": "144115198339527735", "IsPlaceMsg": 0,
                  "MsgBody": [ { "MsgType": "TIMTextElem", "MsgContent": { "Text": "Report" } } ],
                  "MsgPriority": 1, "MsgRandom": 235168582, "MsgSeq": 7803320, "MsgTimeStamp": 1458721797 } ] }
            """);

        Assert.Equal(1, page.IsFinished);
        Assert.Equal([7803321L, 7803320L], page.Messages.Select(m => m.MsgSeq));
        var first = page.Messages[0];
        Assert.Equal((HistoryPlace.Message, "144115197276518801", 51083293L, 1458721802L, 1L), (first.Place, first.FromAccount, first.Random!.Value, first.MsgTime!.Value, first.MsgPriority!.Value));
        Assert.Contains("TIMFaceElem", first.MsgBody);
        Assert.Null(first.ExtraFields);
    }

    [Fact]
    public void Holes_recalls_quoted_numbers_system_bodies_and_unknown_fields_are_read()
    {
        var page = Read("""
            { "ErrorCode": 0, "IsFinished": 0, "RspMsgList": [
                { "MsgSeq": "12", "IsPlaceMsg": 1, "MsgBody": [] },
                { "MsgSeq": 11, "IsPlaceMsg": 2, "MsgBody": [ { "MsgType": "TIMTextElem", "MsgContent": { "Text": "gone" } } ] },
                { "MsgSeq": 10, "IsSystemMsg": 1, "MsgBody": { "Notice": "x" }, "MsgId": "abc", "CloudCustomData": "cc" },
                { "IsPlaceMsg": 0 },
                "not an object" ] }
            """);

        Assert.Equal([12L, 11L, 10L], page.Messages.Select(m => m.MsgSeq));
        Assert.Equal((HistoryPlace.Absent, (string?)null), (page.Messages[0].Place, page.Messages[0].MsgBody));
        Assert.Equal(HistoryPlace.Recalled, page.Messages[1].Place);
        Assert.True(page.Messages[2].IsSystemMsg);
        Assert.Equal("""{ "Notice": "x" }""", page.Messages[2].MsgBody);
        Assert.Equal("cc", page.Messages[2].CloudCustomData);
        Assert.Equal("""{"MsgId":"abc"}""", page.Messages[2].ExtraFields);
    }

    private static HistoryPage Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return GroupHistory.Read(document.RootElement);
    }
}
