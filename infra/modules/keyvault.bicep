// Holds Tencent's callback token; the app reads it through a Key Vault reference, never as a plain setting.
param name string
param location string
param tags object

@secure()
param callbackToken string

var secretName = 'tencent-callback-token'

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

output name string = vault.name

@description('Without a version: the app follows the latest version, so rotating the token needs no redeployment.')
output callbackTokenSecretUri string = '${vault.properties.vaultUri}secrets/${secretName}'
