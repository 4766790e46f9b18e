// The Functions app on the Flex Consumption plan (Linux, .NET 10 isolated worker). It runs as the
// user-assigned identity and reaches storage and Application Insights with it; no setting holds a
// key. Flex Consumption rejects FUNCTIONS_WORKER_RUNTIME, FUNCTIONS_EXTENSION_VERSION and
// WEBSITE_RUN_FROM_PACKAGE as app settings: the runtime and the package live in functionAppConfig.

param planName string
param functionAppName string
param location string
import { Tags } from '../types.bicep'
param tags Tags

param identityName string
param storageAccountName string
param applicationInsightsName string

@description('Private container, in the storage account, that holds the deployment package.')
param deploymentContainerName string

@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('NCRONTAB schedule (UTC) of the timer that publishes what falls due.')
param publishSchedule string

@description('Share of the published files one run may delete before it refuses, e.g. 0.25.')
param maxDeleteShare string

@description('How late a scheduled social post may still go out (hh:mm:ss).')
param socialGracePeriod string

@description('Hosts beyond each platform\'s own API that a channel\'s secret may be sent to, separated by commas.')
param channelHosts string

@description('Entra ID object ids of everyone who may approve, separated by commas; empty leaves site.yaml alone to decide.')
param approvers string

@description('What needs approval whatever site.yaml says: sponsored, pages, both or nothing.')
param approvalRequired string

@description('Days history keeps what it packs; runs pack again, well before then, what the site still holds.')
@minValue(1)
param historyRetentionDays int

@description('Client ID of the Entra ID app registration for signing in; empty leaves App Service authentication off.')
param signInClientId string
@description('The vault of the channels\' secrets.')
param keyVaultUri string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource storageAccount 'Microsoft.Storage/storageAccounts@2025-08-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2025-03-01' = {
  name: functionAppName
  location: location
  // azd finds the app to deploy to by this tag (service `functions` in azure.yaml).
  tags: union(tags, { 'azd-service-name': 'functions' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    publicNetworkAccess: 'Enabled'
    siteConfig: {
      // Flex Consumption offers no FTP and ignores most other site settings; TLS is what matters here.
      minTlsVersion: '1.2'
      // One entry for every constant in functions/LondonTories.Functions/AppSettings.cs; the
      // infrastructure tests hold the two in step.
      appSettings: [
        // AzureWebJobsStorage, identity-based: the runtime and the app's own clients use these.
        {
          name: 'AzureWebJobsStorage__blobServiceUri'
          value: storageAccount.properties.primaryEndpoints.blob
        }
        {
          name: 'AzureWebJobsStorage__queueServiceUri'
          value: storageAccount.properties.primaryEndpoints.queue
        }
        {
          name: 'AzureWebJobsStorage__tableServiceUri'
          value: storageAccount.properties.primaryEndpoints.table
        }
        {
          name: 'AzureWebJobsStorage__credential'
          value: 'managedidentity'
        }
        {
          name: 'AzureWebJobsStorage__clientId'
          value: identity.properties.clientId
        }
        {
          name: 'PUBLISH_SCHEDULE'
          value: publishSchedule
        }
        {
          name: 'PUBLISH_MAX_DELETE_SHARE'
          value: maxDeleteShare
        }
        {
          name: 'SOCIAL_GRACE_PERIOD'
          value: socialGracePeriod
        }
        {
          name: 'LONDONTORIES_CHANNEL_HOSTS'
          value: channelHosts
        }
        {
          name: 'LONDONTORIES_APPROVERS'
          value: approvers
        }
        {
          name: 'LONDONTORIES_APPROVAL_REQUIRED'
          value: approvalRequired
        }
        {
          name: 'HISTORY_RETENTION_DAYS'
          value: string(historyRetentionDays)
        }
        {
          name: 'KEY_VAULT_URI'
          value: keyVaultUri
        }
        // The connection string names the Application Insights resource; with local auth off it
        // is not a credential. Telemetry is signed with the identity's token.
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: applicationInsights.properties.ConnectionString
        }
        {
          name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
          value: 'ClientId=${identity.properties.clientId};Authorization=AAD'
        }
        // Sign-in proves itself to Entra ID with the identity (a federated credential on the app
        // registration), so no client secret exists to leak.
        {
          name: 'OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID'
          value: identity.properties.clientId
        }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageAccount.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: 2048
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

// Deployments authenticate with Entra ID (azd, az functionapp deploy); publishing passwords stay off.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: functionApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: functionApp
  name: 'scm'
  properties: {
    allow: false
  }
}

// App Service authentication with Entra ID. It verifies the sign-in and passes the user to the app in
// X-MS-CLIENT-PRINCIPAL-* headers, which it strips from what callers send, so POST /api/approvals
// reads an identity nobody can assert. Signing in is optional: anonymous routes stay anonymous and
// the function-key routes keep their keys; the functions that need a user refuse without one.
resource authentication 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: functionApp
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: !empty(signInClientId)
    }
    globalValidation: {
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    httpSettings: {
      requireHttps: true
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: !empty(signInClientId)
        registration: {
          clientId: signInClientId
          clientSecretSettingName: 'OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID'
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [
            'api://${signInClientId}'
          ]
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
  }
}

output name string = functionApp.name
output defaultHostName string = functionApp.properties.defaultHostName
