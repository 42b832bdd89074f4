// Holds Tencent's callback token and the app's key; the app reads both through Key Vault references, never as plain settings.
param name string
param location string
param tags object

@secure()
param callbackToken string

@secure()
@description('The Tencent app\'s key, which signs the admin\'s UserSig for REST calls.')
param secretKey string = ''

var secretName = 'tencent-callback-token'
var secretKeyName = 'tencent-secret-key'

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

resource secret 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = if (!empty(callbackToken)) {
  parent: vault
  name: secretName
  properties: {
    value: callbackToken
    contentType: 'text/plain'
  }
}

resource key 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = if (!empty(secretKey)) {
  parent: vault
  name: secretKeyName
  properties: {
    value: secretKey
    contentType: 'text/plain'
  }
}

output name string = vault.name

@description('Without a version: the app follows the latest version, so rotating the token needs no redeployment.')
output callbackTokenSecretUri string = '${vault.properties.vaultUri}secrets/${secretName}'

@description('Without a version, like the token: rotating the key in Key Vault needs no redeployment.')
output secretKeySecretUri string = '${vault.properties.vaultUri}secrets/${secretKeyName}'
