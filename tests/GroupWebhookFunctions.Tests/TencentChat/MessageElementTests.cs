using System.Text.Json;
using GroupWebhookFunctions.TencentChat;

namespace GroupWebhookFunctions.Tests.TencentChat;

public class MessageElementTests
{
    private static List<MessageElement> Parse(string msgBody) => JsonSerializer.Deserialize(msgBody, TencentChatJsonContext.Default.ListMessageElement)!;

    private static T Single<T>(string element) where T : MessageContent => Assert.IsType<T>(Assert.Single(Parse($"[{element}]")).MsgContent);

    [Fact]
    public void Text() =>
        Assert.Equal("hi", Single<TextContent>("""{"MsgType":"TIMTextElem","MsgContent":{"Text":"hi"}}""").Text);

    [Fact]
    public void Location()
    {
        var content = Single<LocationContent>("""{"MsgType":"TIMLocationElem","MsgContent":{"Desc":"office","Latitude":22.54,"Longitude":"113.93"}}""");
        Assert.Equal(("office", 22.54, 113.93), (content.Desc, content.Latitude, content.Longitude));
    }

    [Fact]
    public void Face()
    {
        var content = Single<FaceContent>("""{"MsgType":"TIMFaceElem","MsgContent":{"Index":"1","Data":"content"}}""");
        Assert.Equal((1L, "content"), (content.Index, content.Data));
    }

    [Fact]
    public void Custom()
    {
        var content = Single<CustomContent>("""{"MsgType":"TIMCustomElem","MsgContent":{"Data":"message","Desc":"notification","Ext":"url","Sound":"dingdong.aiff"}}""");
        Assert.Equal(("message", "notification", "url", "dingdong.aiff"), (content.Data, content.Desc, content.Ext, content.Sound));
    }

    [Fact]
    public void Sound()
    {
        var content = Single<SoundContent>("""{"MsgType":"TIMSoundElem","MsgContent":{"Url":"https://x/s","UUID":"1","Size":62351,"Second":1,"Download_Flag":2}}""");
        Assert.Equal(("https://x/s", "1", 62351L, 1L, 2L), (content.Url, content.UUID, content.Size, content.Second, content.DownloadFlag));
    }

    [Fact]
    public void Image()
    {
        var content = Single<ImageContent>("""
            {"MsgType":"TIMImageElem","MsgContent":{"UUID":"1853095_D61040894AC3DE44CDFFFB3EC7EB720F","ImageFormat":1,
             "ImageInfoArray":[{"Type":1,"Size":1853095,"Width":2448,"Height":3264,"URL":"https://x/1"},{"Type":3,"Size":8192,"Width":144,"Height":198,"URL":"https://x/3"}]}}
            """);
        Assert.Equal(1L, content.ImageFormat);
        Assert.Equal([1L, 3L], content.ImageInfoArray!.Select(i => i.Type!.Value));
        Assert.Equal(3264L, content.ImageInfoArray![0].Height);
    }

    [Fact]
    public void File()
    {
        var content = Single<FileContent>("""{"MsgType":"TIMFileElem","MsgContent":{"Url":"https://x/f","UUID":"u","FileSize":1773552,"FileName":"file:///doc.pdf","Download_Flag":2}}""");
        Assert.Equal((1773552L, "file:///doc.pdf", 2L), (content.FileSize, content.FileName, content.DownloadFlag));
    }

    [Fact]
    public void VideoFile()
    {
        var content = Single<VideoFileContent>("""
            {"MsgType":"TIMVideoFileElem","MsgContent":{"VideoUrl":"https://x/v","VideoUUID":"v","VideoSize":1194603,"VideoSecond":5,"VideoFormat":"mp4",
             "VideoDownloadFlag":2,"ThumbUrl":"https://x/t","ThumbUUID":"t","ThumbSize":13907,"ThumbWidth":720,"ThumbHeight":1280,"ThumbFormat":"jpg","ThumbDownloadFlag":2}}
            """);
        Assert.Equal((1194603L, 5L, "mp4", 1280L, "jpg"), (content.VideoSize, content.VideoSecond, content.VideoFormat, content.ThumbHeight, content.ThumbFormat));
    }

    [Fact]
    public void Relay()
    {
        var content = Single<RelayContent>("""
            {"MsgType":"TIMRelayElem","MsgContent":{"Title":"Chat history","MsgNum":2,"CompatibleText":"upgrade","AbstractList":["a: hi","b: yo"],
             "MsgList":[{"From_Account":"a","MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"hi"}}]}]}}
            """);
        Assert.Equal(("Chat history", 2L, "upgrade"), (content.Title, content.MsgNum, content.CompatibleText));
        Assert.Equal(2, content.AbstractList!.Count);
        Assert.Equal("a", content.MsgList![0].GetProperty("From_Account").GetString());
    }

    [Fact]
    public void An_unknown_element_type_is_kept_raw()
    {
        var element = Assert.Single(Parse("""[{"MsgType":"TIMFutureElem","MsgContent":{"Shiny":[1,2,3]}}]"""));

        Assert.Equal("TIMFutureElem", element.MsgType);
        Assert.Equal(3, Assert.IsType<UnknownContent>(element.MsgContent).Raw.GetProperty("Shiny").GetArrayLength());
    }

    [Fact]
    public void A_known_type_with_unreadable_content_is_kept_raw_instead_of_failing_the_message()
    {
        var message = Parse("""[{"MsgType":"TIMTextElem","MsgContent":{"Text":{"nested":true}}},{"MsgType":"TIMTextElem","MsgContent":{"Text":"ok"}}]""");

        Assert.IsType<UnknownContent>(message[0].MsgContent);
        Assert.Equal("ok", Assert.IsType<TextContent>(message[1].MsgContent).Text);
    }

    [Fact]
    public void Unknown_fields_of_known_contents_and_elements_are_kept()
    {
        var element = Assert.Single(Parse("""[{"MsgType":"TIMTextElem","MsgContent":{"Text":"hi","Lang":"en"},"Extra":1}]"""));

        Assert.Equal("en", element.MsgContent.ExtensionData!["Lang"].GetString());
        Assert.Equal(1, element.ExtensionData!["Extra"].GetInt32());
    }

    [Fact]
    public void Elements_written_back_carry_every_field_they_were_read_with()
    {
        const string original = """[{"MsgType":"TIMTextElem","MsgContent":{"Text":"hi","Lang":"en"},"Extra":1},{"MsgType":"TIMFutureElem","MsgContent":{"X":[true]}}]""";
        var elements = Parse(original);

        var written = JsonSerializer.Serialize(elements, TencentChatJsonContext.Default.ListMessageElement);

        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(original).RootElement, JsonDocument.Parse(written).RootElement), written);
    }

    [Fact]
    public void Every_documented_element_type_has_a_typed_content() =>
        Assert.Equal(
            ["TIMCustomElem", "TIMFaceElem", "TIMFileElem", "TIMImageElem", "TIMLocationElem", "TIMRelayElem", "TIMSoundElem", "TIMTextElem", "TIMVideoFileElem"],
            MessageElementConverter.KnownTypes.Order());
}
