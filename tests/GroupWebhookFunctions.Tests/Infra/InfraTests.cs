using System.Text.Json;
using System.Text.RegularExpressions;
using GroupWebhookFunctions.Diagnostics;
using GroupWebhookFunctions.Functions;
using GroupWebhookFunctions.Storage;
using GroupWebhookFunctions.Tests.Infrastructure;

namespace GroupWebhookFunctions.Tests.Infra;

/// <summary>infra/ compiles cleanly and provisions exactly what the code expects.</summary>
public partial class InfraTests
{
    public static TheoryData<string> BicepFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Repository.PathOf("infra"), "*.bicep", SearchOption.AllDirectories).Order())
            data.Add(Path.GetRelativePath(Repository.Root, file));
        return data;
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public void Every_bicep_file_builds_and_lints_without_a_warning(string file)
    {
        foreach (var command in new[] { "build", "lint" })
        {
            var arguments = command == "build" ? new[] { command, "--stdout", Repository.PathOf(file) } : [command, Repository.PathOf(file)];
            var (exitCode, output, errors) = Bicep.Run(arguments);
            var diagnostics = (command == "lint" ? output : "") + errors;
            Assert.True(exitCode == 0, $"bicep {command} {file}: {errors}");
            // Type mismatches and unknown API versions are only warnings, so any warning fails the check.
            Assert.DoesNotMatch(DiagnosticLine(), diagnostics);
        }
    }

    [Fact]
    public void The_parameter_file_needs_only_the_SdkAppId_and_keeps_the_token_optional()
    {
        var (exitCode, output, errors) = Bicep.Run(new Dictionary<string, string> { ["TENCENT_SDKAPPID"] = "1400000001" }, "build-params", "--stdout", Repository.PathOf("infra", "main.bicepparam"));

        Assert.True(exitCode == 0, errors);
        Assert.DoesNotMatch(DiagnosticLine(), errors);
        var parameters = JsonDocument.Parse(JsonDocument.Parse(output).RootElement.GetProperty("parametersJson").GetString()!).RootElement.GetProperty("parameters");
        Assert.Equal("1400000001", parameters.GetProperty("tencentSdkAppId").GetProperty("value").GetString());
        Assert.Equal("", parameters.GetProperty("tencentCallbackToken").GetProperty("value").GetString());
        Assert.Equal("securestring", Bicep.MainTemplate.GetProperty("parameters").GetProperty("tencentCallbackToken").GetProperty("type").GetString());
    }

    [Fact]
    public void Storage_names_are_the_codes()
    {
        var variables = Bicep.MainTemplate.GetProperty("variables");

        Assert.Equal(StorageNames.EventQueue, variables.GetProperty("eventQueueName").GetString());
        Assert.Equal(StorageNames.PoisonQueue, variables.GetProperty("poisonQueueName").GetString());
        Assert.Equal(StorageNames.PayloadContainer, variables.GetProperty("payloadContainerName").GetString());
        Assert.Equal(StorageNames.MessageTable, variables.GetProperty("messageTableName").GetString());
        Assert.Equal(StorageNames.SummaryTable, variables.GetProperty("summaryTableName").GetString());
        Assert.Equal(StorageNames.ReaderTable, variables.GetProperty("readerTableName").GetString());
        Assert.Equal(StorageNames.FailureTable, variables.GetProperty("failureTableName").GetString());
        Assert.Equal(StorageNames.ImportTable, variables.GetProperty("importTableName").GetString());
        Assert.Equal(StorageNames.ReconcileStateTable, variables.GetProperty("reconcileStateTableName").GetString());
        Assert.Equal(StorageNames.BudgetTable, variables.GetProperty("budgetTableName").GetString());
        Assert.Equal(StorageNames.ImportQueue, variables.GetProperty("importQueueName").GetString());
        Assert.Equal(StorageNames.ImportPoisonQueue, variables.GetProperty("importPoisonQueueName").GetString());
        Assert.Equal(StorageNames.RelayQueue, variables.GetProperty("relayQueueName").GetString());
        Assert.Equal(StorageNames.RelayPoisonQueue, variables.GetProperty("relayPoisonQueueName").GetString());
        var storage = ModuleParameters("storage");
        Assert.Equal(["[variables('eventQueueName')]", "[variables('poisonQueueName')]", "[variables('importQueueName')]", "[variables('importPoisonQueueName')]", "[variables('relayQueueName')]", "[variables('relayPoisonQueueName')]"], Values(storage, "queueNames"));
        Assert.Contains("[variables('payloadContainerName')]", Values(storage, "containerNames"));
        Assert.Equal(["[variables('messageTableName')]", "[variables('summaryTableName')]", "[variables('readerTableName')]", "[variables('failureTableName')]", "[variables('importTableName')]",
            "[variables('reconcileStateTableName')]", "[variables('budgetTableName')]"],
            Values(storage, "tableNames"));
    }

    [Fact]
    public void The_callback_URL_output_uses_the_functions_route()
    {
        Assert.Equal(TencentChatCallbackFunction.Route, Bicep.MainTemplate.GetProperty("variables").GetProperty("callbackRoute").GetString());
        var url = Bicep.MainTemplate.GetProperty("outputs").GetProperty("callbackUrl").GetProperty("value").GetString();
        Assert.Equal("[format('https://{0}/api/{1}', reference(resourceId('Microsoft.Resources/deployments', 'functionApp'), '2025-04-01').outputs.defaultHostName.value, variables('callbackRoute'))]", url);
        Assert.Equal(["callbackUrl", "functionAppName", "storageAccountName"], Bicep.MainTemplate.GetProperty("outputs").EnumerateObject().Select(o => o.Name).Order());
    }

    [Fact]
    public void Every_setting_the_code_reads_is_set_identity_based()
    {
        var settings = ModuleParameters("functionApp").GetProperty("appSettings").GetProperty("value").GetString()!;

        string[] required =
        [
            "TencentChat__SdkAppId", "TencentChat__CallbackToken",
            $"{StorageNames.Connection}__credential", $"{StorageNames.Connection}__clientId",
            $"{StorageNames.Connection}__blobServiceUri", $"{StorageNames.Connection}__queueServiceUri", $"{StorageNames.Connection}__tableServiceUri",
            "APPLICATIONINSIGHTS_CONNECTION_STRING", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
            "TencentChat__AdminIdentifier", "TencentChat__SecretKey", "TencentChat__ApiBaseUrl",
            "Reconcile__Schedule", "Reconcile__GraceSeconds", "Reconcile__QuietMinutes", "Reconcile__MaxCallsPerSecond", "Reconcile__RecheckHours",
            "Reconcile__DiscoverSchedule",
            "Relay__Url", "Relay__BeforeTimeoutMilliseconds", "Relay__Commands",
        ];
        foreach (var name in required)
            Assert.Contains($"'{name}'", settings, StringComparison.Ordinal);
        Assert.Contains("'AzureWebJobsStorage__credential', 'managedidentity'", settings, StringComparison.Ordinal);
        Assert.DoesNotContain($"'{StorageNames.Connection}',", settings, StringComparison.Ordinal);
        Assert.DoesNotContain("AccountKey", Bicep.MainTemplate.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("listKeys", Bicep.MainTemplate.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_hosts_body_limit_sits_just_above_the_apps_in_the_sample_the_template_and_the_README()
    {
        var sample = JsonDocument.Parse(File.ReadAllText(Repository.PathOf("local.settings.sample.json"))).RootElement.GetProperty("Values");
        var appLimit = long.Parse(sample.GetProperty("TencentChat__MaxBodyBytes").GetString()!);
        var hostLimit = long.Parse(sample.GetProperty("FUNCTIONS_REQUEST_BODY_SIZE_LIMIT").GetString()!);
        Assert.Equal(new GroupWebhookFunctions.TencentChat.TencentChatOptions().MaxBodyBytes, appLimit);
        Assert.InRange(hostLimit - appLimit, 1, 64 * 1024);

        var settings = ModuleParameters("functionApp").GetProperty("appSettings").GetProperty("value").GetString()!;
        Assert.Contains("'TencentChat__MaxBodyBytes', string(parameters('maxBodyBytes'))", settings, StringComparison.Ordinal);
        Assert.Contains("'FUNCTIONS_REQUEST_BODY_SIZE_LIMIT', string(variables('hostRequestBodyLimitBytes'))", settings, StringComparison.Ordinal);
        Assert.Equal(appLimit, Bicep.MainTemplate.GetProperty("parameters").GetProperty("maxBodyBytes").GetProperty("defaultValue").GetInt64());
        var margin = Regex.Match(Bicep.MainTemplate.GetProperty("variables").GetProperty("hostRequestBodyLimitBytes").GetString()!, @"^\[add\(parameters\('maxBodyBytes'\), (\d+)\)\]$");
        Assert.True(margin.Success);
        Assert.Equal(hostLimit, appLimit + long.Parse(margin.Groups[1].Value));

        var readme = File.ReadAllText(Repository.PathOf("README.md"));
        Assert.Matches($@"\| `FUNCTIONS_REQUEST_BODY_SIZE_LIMIT` \| no \| `{hostLimit}` \|", readme);
    }

    [Fact]
    public void The_token_reaches_the_app_only_as_a_Key_Vault_reference()
    {
        var settings = ModuleParameters("functionApp").GetProperty("appSettings").GetProperty("value").GetString()!;

        Assert.Contains("'TencentChat__CallbackToken', format('@Microsoft.KeyVault(SecretUri={0})'", settings, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(settings, Regex.Escape("parameters('tencentCallbackToken')")));
        Assert.Contains("empty(parameters('tencentCallbackToken'))", settings, StringComparison.Ordinal);
        Assert.DoesNotContain("tencentCallbackToken", Bicep.MainTemplate.GetProperty("outputs").GetRawText(), StringComparison.Ordinal);
        var vault = ModuleTemplate("keyVault");
        Assert.True(Resource(vault, "Microsoft.KeyVault/vaults").GetProperty("properties").GetProperty("enableRbacAuthorization").GetBoolean());
        Assert.Equal("securestring", vault.GetProperty("parameters").GetProperty("callbackToken").GetProperty("type").GetString());
    }

    [Fact]
    public void The_secret_key_reaches_the_app_only_as_a_Key_Vault_reference_and_only_with_an_admin()
    {
        var settings = ModuleParameters("functionApp").GetProperty("appSettings").GetProperty("value").GetString()!;

        Assert.Contains("'TencentChat__SecretKey', format('@Microsoft.KeyVault(SecretUri={0})', reference(resourceId('Microsoft.Resources/deployments', 'keyVault'), '2025-04-01').outputs.secretKeySecretUri.value)", settings, StringComparison.Ordinal);
        Assert.Contains("or(empty(parameters('tencentAdminIdentifier')), empty(parameters('tencentSecretKey')))", settings, StringComparison.Ordinal);
        Assert.Equal("securestring", Bicep.MainTemplate.GetProperty("parameters").GetProperty("tencentSecretKey").GetProperty("type").GetString());
        Assert.Equal("securestring", ModuleTemplate("keyVault").GetProperty("parameters").GetProperty("secretKey").GetProperty("type").GetString());
        Assert.DoesNotContain("tencentSecretKey", Bicep.MainTemplate.GetProperty("outputs").GetRawText(), StringComparison.Ordinal);
        Assert.Equal(GroupWebhookFunctions.TencentChat.TencentChatOptions.DefaultApiBaseUrl,
            Bicep.MainTemplate.GetProperty("parameters").GetProperty("tencentApiBaseUrl").GetProperty("defaultValue").GetString());
        Assert.Equal(GroupWebhookFunctions.Reconciling.ReconcileOptions.DefaultSchedule,
            Bicep.MainTemplate.GetProperty("parameters").GetProperty("reconcileSchedule").GetProperty("defaultValue").GetString());
        Assert.Equal(GroupWebhookFunctions.Reconciling.ReconcileOptions.DefaultDiscoverSchedule,
            Bicep.MainTemplate.GetProperty("parameters").GetProperty("reconcileDiscoverSchedule").GetProperty("defaultValue").GetString());
    }

    [Fact]
    public void Storage_refuses_shared_keys_public_blobs_and_old_TLS()
    {
        var properties = Resource(ModuleTemplate("storage"), "Microsoft.Storage/storageAccounts").GetProperty("properties");

        Assert.False(properties.GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.False(properties.GetProperty("allowBlobPublicAccess").GetBoolean());
        Assert.Equal("TLS1_2", properties.GetProperty("minimumTlsVersion").GetString());
    }

    [Fact]
    public void Every_role_assignment_is_for_the_identity_the_app_runs_as()
    {
        var roles = ModuleTemplate("roles");
        var assignments = Resources(roles).Where(r => r.GetProperty("type").GetString() == "Microsoft.Authorization/roleAssignments").ToList();

        Assert.Equal(3, assignments.Count);
        Assert.All(assignments, a =>
        {
            Assert.Equal("[parameters('principalId')]", a.GetProperty("properties").GetProperty("principalId").GetString());
            Assert.Matches(@"^\[guid\(resourceId\(.+\), parameters\('principalId'\), .+\)\]$", a.GetProperty("name").GetString());
        });
        Assert.Equal("[reference(resourceId('Microsoft.Resources/deployments', 'identity'), '2025-04-01').outputs.principalId.value]",
            ModuleParameters("roles").GetProperty("principalId").GetProperty("value").GetString());
        Assert.Equal("[reference(resourceId('Microsoft.Resources/deployments', 'identity'), '2025-04-01').outputs.id.value]",
            ModuleParameters("functionApp").GetProperty("identityId").GetProperty("value").GetString());
        var site = Resource(ModuleTemplate("functionApp"), "Microsoft.Web/sites");
        Assert.Equal("UserAssigned", site.GetProperty("identity").GetProperty("type").GetString());
        Assert.Equal("[parameters('identityId')]", site.GetProperty("properties").GetProperty("keyVaultReferenceIdentity").GetString());
    }

    [Fact]
    public void The_app_runs_NET_10_isolated_on_Flex_Consumption_with_a_warm_HTTP_instance_HTTPS_only()
    {
        var app = ModuleTemplate("functionApp");
        var site = Resource(app, "Microsoft.Web/sites").GetProperty("properties");
        var config = site.GetProperty("functionAppConfig");

        Assert.Equal("FC1", Resource(app, "Microsoft.Web/serverfarms").GetProperty("sku").GetProperty("name").GetString());
        Assert.Equal("dotnet-isolated", config.GetProperty("runtime").GetProperty("name").GetString());
        Assert.Equal("10.0", config.GetProperty("runtime").GetProperty("version").GetString());
        Assert.Contains("'http', 'instanceCount', parameters('alwaysReadyHttpInstances')", config.GetProperty("scaleAndConcurrency").GetProperty("alwaysReady").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, Bicep.MainTemplate.GetProperty("parameters").GetProperty("alwaysReadyHttpInstances").GetProperty("defaultValue").GetInt32());
        Assert.Equal("UserAssignedIdentity", config.GetProperty("deployment").GetProperty("storage").GetProperty("authentication").GetProperty("type").GetString());
        Assert.True(site.GetProperty("httpsOnly").GetBoolean());
        Assert.Equal("1.2", site.GetProperty("siteConfig").GetProperty("minTlsVersion").GetString());
        Assert.Equal("Disabled", site.GetProperty("siteConfig").GetProperty("ftpsState").GetString());
    }

    [Fact]
    public void Application_Insights_accepts_only_Entra_identities()
    {
        var insights = Resource(ModuleTemplate("monitoring"), "Microsoft.Insights/components").GetProperty("properties");

        Assert.True(insights.GetProperty("DisableLocalAuth").GetBoolean());
        Assert.Contains("Microsoft.OperationalInsights/workspaces", insights.GetProperty("WorkspaceResourceId").GetString(), StringComparison.Ordinal);
    }

    private static readonly string[] DashboardMetrics =
    [
        GroupWebhookMetrics.WebhooksReceived, GroupWebhookMetrics.SyncLag, GroupWebhookMetrics.PoisonMoves,
        GroupWebhookMetrics.StorageFailures, GroupWebhookMetrics.PoisonReplays, GroupWebhookMetrics.ReconcileRows, GroupWebhookMetrics.ReconcileCalls,
        GroupWebhookMetrics.ReconcileDiscovered, GroupWebhookMetrics.ReconcileTailChecks,
        GroupWebhookMetrics.RelayDeliveries, GroupWebhookMetrics.RelayBeforeAnswers,
    ];

    private static readonly string[] DashboardTags =
    [
        GroupWebhookMetrics.CommandTag, GroupWebhookMetrics.OutcomeTag, GroupWebhookMetrics.ErrorTypeTag,
        GroupWebhookMetrics.LagBucketTag, GroupWebhookMetrics.OperationTag, GroupWebhookMetrics.SourceTag, GroupWebhookMetrics.KindTag,
    ];

    [Fact]
    public void The_workbook_and_alerts_query_exactly_the_metric_names_and_tags_the_code_emits()
    {
        var operations = ModuleTemplate("operations").GetRawText();

        var variables = ModuleTemplate("operations").GetProperty("variables").EnumerateObject()
            .Where(v => v.Value.ValueKind == JsonValueKind.String).Select(v => v.Value.GetString()).ToHashSet();
        foreach (var name in DashboardMetrics.Concat(DashboardTags))
            Assert.Contains(name, variables);
        Assert.Contains(TencentChatCallbackFunction.FunctionName, variables);
        var emitted = typeof(GroupWebhookMetrics).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToHashSet();
        var used = Regex.Matches(operations, @"(gwf\.[a-z_.]+[a-z])").Select(m => m.Groups[1].Value).ToHashSet();
        Assert.NotEmpty(used);
        Assert.All(used, name => Assert.Contains(name, emitted));
    }

    [Fact]
    public void The_sync_lag_alert_threshold_is_one_of_the_buckets_the_code_records()
    {
        var allowed = ModuleTemplate("operations").GetProperty("parameters").GetProperty("syncLagAlertSeconds").GetProperty("allowedValues").EnumerateArray().Select(v => v.GetInt32());

        Assert.Equal(GroupWebhookMetrics.LagBuckets, allowed);
        Assert.Contains(Bicep.MainTemplate.GetProperty("parameters").GetProperty("syncLagAlertSeconds").GetProperty("defaultValue").GetInt32(), GroupWebhookMetrics.LagBuckets);
    }

    [Fact]
    public void Six_alerts_and_a_workbook_are_deployed_and_the_action_group_only_with_an_address()
    {
        var operations = ModuleTemplate("operations");
        var alerts = Resource(operations, "Microsoft.Insights/scheduledQueryRules");
        var actionGroup = Resource(operations, "Microsoft.Insights/actionGroups");

        Assert.Equal(6, operations.GetProperty("variables").GetProperty("alerts").GetArrayLength());
        Assert.Equal("[length(variables('alerts'))]", alerts.GetProperty("copy").GetProperty("count").GetString());
        Assert.Equal("[not(empty(parameters('alertEmail')))]", actionGroup.GetProperty("condition").GetString());
        Assert.Equal("shared", Resource(operations, "Microsoft.Insights/workbooks").GetProperty("kind").GetString());
        Assert.Equal("", Bicep.MainTemplate.GetProperty("parameters").GetProperty("alertEmail").GetProperty("defaultValue").GetString());
    }

    [Fact]
    public void The_host_exports_OpenTelemetry_like_the_worker()
    {
        var host = JsonDocument.Parse(File.ReadAllText(Repository.PathOf("host.json"))).RootElement;

        Assert.Equal("OpenTelemetry", host.GetProperty("telemetryMode").GetString());
    }

    [Fact]
    public void Main_only_composes_local_modules()
    {
        var resources = Resources(Bicep.MainTemplate).ToList();

        Assert.All(resources, r => Assert.Equal("Microsoft.Resources/deployments", r.GetProperty("type").GetString()));
        Assert.DoesNotContain("br/public", File.ReadAllText(Repository.PathOf("infra", "main.bicep")), StringComparison.Ordinal);
    }

    private static JsonElement Module(string name) =>
        Resources(Bicep.MainTemplate).Single(r => r.GetProperty("type").GetString() == "Microsoft.Resources/deployments" && r.GetProperty("name").GetString() == name);

    private static JsonElement ModuleParameters(string name) => Module(name).GetProperty("properties").GetProperty("parameters");

    private static JsonElement ModuleTemplate(string name) => Module(name).GetProperty("properties").GetProperty("template");

    private static string[] Values(JsonElement parameters, string name) =>
        [.. parameters.GetProperty(name).GetProperty("value").EnumerateArray().Select(v => v.GetString()!)];

    /// <summary>Templates compiled with languageVersion 2.0 keep resources in an object, others in an array.</summary>
    private static IEnumerable<JsonElement> Resources(JsonElement template)
    {
        var resources = template.GetProperty("resources");
        return resources.ValueKind == JsonValueKind.Array ? resources.EnumerateArray() : resources.EnumerateObject().Select(p => p.Value);
    }

    private static JsonElement Resource(JsonElement template, string type) => Resources(template).Single(r => r.GetProperty("type").GetString() == type);

    [GeneratedRegex(@"(?im)^.*\b(Warning|Error)\b.*$")]
    private static partial Regex DiagnosticLine();
}
