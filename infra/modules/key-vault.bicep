// The vault for the channels' secrets (platform tokens, app passwords, webhook signing keys). Access
// is by Azure RBAC alone; deleted secrets and the vault itself are kept for 90 days and cannot be
// purged early. The app's identity may read and write secrets in this vault and nothing else: it
// stores the new token a platform issues in place of a refresh token it retires (X).

param name string
param location string
import { Tags } from '../types.bicep'
param tags Tags
param identityName string

// Key Vault Secrets Officer: read and write secret values, no keys, certificates or permissions.
var keyVaultSecretsOfficer = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

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
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource appSecretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, keyVaultSecretsOfficer)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsOfficer)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    description: 'LondonTories Functions app: the channels\' secrets for social delivery.'
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
