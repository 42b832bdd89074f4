using 'main.bicep'

// Required from you: export these before deploying (azd reads them from its environment too).
param tencentSdkAppId = readEnvironmentVariable('TENCENT_SDKAPPID')
param tencentCallbackToken = readEnvironmentVariable('TENCENT_CALLBACK_TOKEN', '')

// Sensible defaults; override here or with --parameters name=value.
param namePrefix = readEnvironmentVariable('GWF_NAME_PREFIX', 'gwf')
param alwaysReadyHttpInstances = 1
param maximumInstanceCount = 100
param tags = {
  'azd-env-name': readEnvironmentVariable('AZURE_ENV_NAME', 'groupwebhookfunctions')
}
