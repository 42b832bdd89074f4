using 'main.bicep'

// Required from you: export these before deploying (azd reads them from its environment too).
param tencentSdkAppId = readEnvironmentVariable('TENCENT_SDKAPPID')
param tencentCallbackToken = readEnvironmentVariable('TENCENT_CALLBACK_TOKEN', '')

// Optional: reconciliation with Tencent's history (an App admin account and the app's key).
param tencentAdminIdentifier = readEnvironmentVariable('TENCENT_ADMIN_IDENTIFIER', '')
param tencentSecretKey = readEnvironmentVariable('TENCENT_SECRET_KEY', '')
param tencentApiBaseUrl = readEnvironmentVariable('TENCENT_API_BASE_URL', 'https://adminapisgp.im.qcloud.com')

// Sensible defaults; override here or with --parameters name=value.
param namePrefix = readEnvironmentVariable('GWF_NAME_PREFIX', 'gwf')
param alwaysReadyHttpInstances = 1
param maximumInstanceCount = 100
param tags = {
  'azd-env-name': readEnvironmentVariable('AZURE_ENV_NAME', 'groupwebhookfunctions')
}
