// Who may do what, and nothing more. The app's identity gets exactly four roles; the people and
// pipelines that push the editors' content get write access to the `content` container only.

param storageAccountName string
param applicationInsightsName string
param identityName string

import { ContentWriter } from '../types.bicep'
param contentWriters ContentWriter[]

// Built-in role definition IDs (the same in every tenant).
var roles = {
  // The Functions host (blob trigger, deployment package, singleton leases) and the app's publish,
  // which writes $web and holds a blob lease to serialise runs, need blob ownership.
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  // The publications and socialposts ledgers; the code creates the tables if they are missing.
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  // The blob trigger's poison queue and the host's internal queues.
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  // Telemetry to Application Insights with Entra ID authentication (local auth is off).
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  // Editors' content: read, write and delete blobs in one container.
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource storageAccount 'Microsoft.Storage/storageAccounts@2025-08-01' existing = {
  name: storageAccountName

  resource blobService 'blobServices' existing = {
    name: 'default'

    resource contentContainer 'containers' existing = {
      name: 'content'
    }
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource appBlobDataOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storageAccount.id, identity.id, roles.storageBlobDataOwner)
  scope: storageAccount
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    description: 'LondonTories Functions app: content, $web, social, deployment package, leases.'
  }
}

resource appTableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storageAccount.id, identity.id, roles.storageTableDataContributor)
  scope: storageAccount
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roles.storageTableDataContributor
    )
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    description: 'LondonTories Functions app: the publications and socialposts ledgers.'
  }
}

resource appQueueDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storageAccount.id, identity.id, roles.storageQueueDataContributor)
  scope: storageAccount
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roles.storageQueueDataContributor
    )
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    description: 'LondonTories Functions app: the Functions runtime\'s queues (blob trigger poison queue).'
  }
}

resource appMetricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, identity.id, roles.monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roles.monitoringMetricsPublisher
    )
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    description: 'LondonTories Functions app: telemetry with Entra ID authentication.'
  }
}

resource contentWriterAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for writer in contentWriters: {
    name: guid(storageAccount::blobService::contentContainer.id, writer.principalId, roles.storageBlobDataContributor)
    scope: storageAccount::blobService::contentContainer
    properties: {
      roleDefinitionId: subscriptionResourceId(
        'Microsoft.Authorization/roleDefinitions',
        roles.storageBlobDataContributor
      )
      principalId: writer.principalId
      principalType: writer.principalType
      description: 'LondonTories content writer: pushes the editors\' content.'
    }
  }
]
