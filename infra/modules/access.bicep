// Who may do what, and nothing more. The app's identity gets a role per container it uses, scoped to
// that container, and two storage-wide roles for tables and queues; the people and
// pipelines that push the editors' content get write access to the `content` container only.

param storageAccountName string
param applicationInsightsName string
param identityName string

@description('Private container that holds the deployment package.')
param deploymentContainerName string

import { ContentWriter } from '../types.bicep'
param contentWriters ContentWriter[]

// Built-in role definition IDs (the same in every tenant).
var roles = {
  // The Functions host's own containers (singleton and timer leases, blob trigger receipts, keys)
  // and the deployment package: what the host needs blob ownership for, and nothing else.
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  // What a publish writes: $web (and its lease, which serialises runs) and social.
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  // The editors' content, which the app only reads.
  storageBlobDataReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
  // The publications and socialposts ledgers; the code creates the tables if they are missing.
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  // The blob trigger's poison queue and the host's internal queues.
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  // Telemetry to Application Insights with Entra ID authentication (local auth is off).
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

// The containers the Functions host keeps its state in; declared here so that roles can be scoped
// to them (the host would otherwise create them on first start).
var hostContainerNames = [
  'azure-webjobs-hosts'
  'azure-webjobs-secrets'
]

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

    resource webContainer 'containers' existing = {
      name: '$web'
    }

    resource socialContainer 'containers' existing = {
      name: 'social'
    }

    resource deploymentContainer 'containers' existing = {
      name: deploymentContainerName
    }
  }
}

resource hostContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-08-01' = [
  for name in hostContainerNames: {
    parent: storageAccount::blobService
    name: name
    properties: {
      publicAccess: 'None'
    }
  }
]

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource appHostBlobDataOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (name, i) in hostContainerNames: {
    name: guid(hostContainers[i].id, identity.id, roles.storageBlobDataOwner)
    scope: hostContainers[i]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
      principalId: identity.properties.principalId
      principalType: 'ServicePrincipal'
      description: 'LondonTories Functions app: the Functions host\'s ${name} container.'
    }
  }
]

resource appPackageBlobDataOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storageAccount::blobService::deploymentContainer.id, identity.id, roles.storageBlobDataOwner)
  scope: storageAccount::blobService::deploymentContainer
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    description: 'LondonTories Functions app: the deployment package.'
  }
}

resource appWebBlobDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storageAccount::blobService::webContainer.id, identity.id, roles.storageBlobDataContributor)
  scope: storageAccount::blobService::webContainer
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    description: 'LondonTories Functions app: publishes $web and holds its publish lease.'
  }
}

resource appSocialBlobDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storageAccount::blobService::socialContainer.id, identity.id, roles.storageBlobDataContributor)
  scope: storageAccount::blobService::socialContainer
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    description: 'LondonTories Functions app: the social posts it sends.'
  }
}

resource appContentBlobDataReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storageAccount::blobService::contentContainer.id, identity.id, roles.storageBlobDataReader)
  scope: storageAccount::blobService::contentContainer
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataReader)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    description: 'LondonTories Functions app: reads the editors\' content.'
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
