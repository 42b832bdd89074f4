namespace GroupWebhookFunctions.TencentChat;

public static class CallbackCommands
{
    public const string GroupAfterSendMessage = "Group.CallbackAfterSendMsg";

    public static bool IsHandled(string command) => command == GroupAfterSendMessage;
}
