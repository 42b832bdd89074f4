namespace GroupWebhookFunctions.Tests.Infrastructure;

/// <summary>The sample bodies of Tencent's pages for a message's later life (shared/reference), made valid JSON where the page's were not.</summary>
public static class LifecycleSamples
{
    public const string Recall = """
        {
          "CallbackCommand": "Group.CallbackAfterRecallMsg",
          "Operator_Account": "admin",
          "Type": "Community",
          "GroupId": "1213456",
          "MsgSeqList": [
            { "MsgSeq": 130, "MsgId": "144115213033478435-1739361321-2512805311" }
          ],
          "TopicId": "@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic",
          "EventTime": 1670574414123
        }
        """;

    public const string ExtensionSet = """{"CallbackCommand":"Group.CallbackAfterGroupMsgExtension","GroupId":"test","MsgSeq":10,"OperateType":1,"ExtensionList":[{"Key":"key2","Value":"value2","Seq":56},{"Key":"key3","Value":"12122","Seq":56}],"Seq":56,"EventTime":1764688294360}""";

    public const string ExtensionDelete = """{"CallbackCommand":"Group.CallbackAfterGroupMsgExtension","GroupId":"test","MsgSeq":10,"OperateType":2,"ExtensionList":[{"Key":"key2","Value":"","Seq":57}],"Seq":57,"EventTime":1764688312045}""";

    public const string ExtensionClear = """{"CallbackCommand":"Group.CallbackAfterGroupMsgExtension","GroupId":"test","MsgSeq":10,"OperateType":3,"ExtensionList":[],"Seq":58,"EventTime":1764688329047}""";

    public const string ReadReceipt = """
        {"CallbackCommand":"Group.CallbackAfterReadReceipt","GroupId":"@TGS#2TTV7VSII","Type":"Public",
         "GroupMsgReceiptList":[{"MsgSeq":1,"ReadNum":1,"UnreadNum":6,"ReadReceiptMembers":[{"Member_Account":"user0"}]}],
         "EventTime":"1670574414123"}
        """;

    public const string GroupDestroyed = """
        {
          "CallbackCommand": "Group.CallbackAfterGroupDestroyed",
          "Operator_Account": "administrator",
          "GroupId": "@TGS#2J4SZEAEL",
          "Type": "Public",
          "Owner_Account": "leckie",
          "Name": "MyFirstGroup",
          "MemberList": [ {"Member_Account": "leckie"}, {"Member_Account": "peter"}, {"Member_Account": "bob"} ],
          "EventTime": 1670574414123
        }
        """;

    public const string TopicDestroyed = """
        {
          "CallbackCommand": "Group.CallbackAfterTopicDestroyed",
          "GroupId": "@TGS#_@TGS#cQVLVHIM62CJ",
          "Type": "Community",
          "TopicIdList": [
            "@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic",
            "@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic_1"
          ]
        }
        """;

    public const string SendFailure = """
        {
          "CallbackCommand": "Group.CallbackSendMsgException",
          "GroupId": "@TGS#2J4SZEAEL",
          "Type": "Public",
          "From_Account": "jared",
          "Operator_Account": "admin",
          "Random": 123456,
          "OnlineOnlyFlag": 1,
          "MsgBody": [ { "MsgType": "TIMTextElem", "MsgContent": { "Text": "red packet" } } ],
          "CloudCustomData": "your cloud custom data",
          "ErrorCode": 10023,
          "ErrorInfo": "msg count exceeds limit,please retry later",
          "EventTime": 1670574414123
        }
        """;

    /// <summary>A recall of one message of the seed page's group.</summary>
    public static string RecallOf(long msgSeq, string by = "admin", long eventTime = 1670574414123, string groupId = "@TGS#2J4SZEAEL") =>
        $$"""{"CallbackCommand":"Group.CallbackAfterRecallMsg","Operator_Account":"{{by}}","Type":"Public","GroupId":"{{groupId}}","MsgSeqList":[{"MsgSeq":{{msgSeq}}}],"EventTime":{{eventTime}}}""";

    public static string ExtensionOf(long msgSeq, int operateType, long seq, string entries, string groupId = "@TGS#2J4SZEAEL") =>
        $$"""{"CallbackCommand":"Group.CallbackAfterGroupMsgExtension","GroupId":"{{groupId}}","MsgSeq":{{msgSeq}},"OperateType":{{operateType}},"ExtensionList":[{{entries}}],"Seq":{{seq}},"EventTime":{{1764688294360 + seq}}}""";

    public static string ReadReceiptOf(long msgSeq, int read, int unread, string readers, string groupId = "@TGS#2J4SZEAEL") =>
        $$"""{"CallbackCommand":"Group.CallbackAfterReadReceipt","GroupId":"{{groupId}}","Type":"Public","GroupMsgReceiptList":[{"MsgSeq":{{msgSeq}},"ReadNum":{{read}},"UnreadNum":{{unread}},"ReadReceiptMembers":[{{readers}}]}],"EventTime":1670574414123}""";
}
