// The storage account behind everything: the editors' content, the static website ($web), social
// posts, the ledgers (Table Storage), the Functions runtime and its deployment package.
// Reached only with Microsoft Entra ID: shared keys are off, so there is no key to leak.

param name string
param location string
import { Tags } from '../types.bicep'
param tags Tags

@description('Replication: locally redundant for dev, zone redundant for prod.')
param skuName 'Standard_LRS' | 'Standard_ZRS' | 'Standard_GRS' | 'Standard_GZRS'

@description('Days a deleted or overwritten blob, and a deleted container, can be brought back.')
@minValue(2)
@maxValue(365)
param softDeleteDays int

@description('How far back the whole account can be restored to a point in time; must be shorter than softDeleteDays.')
@minValue(1)
@maxValue(364)
param pointInTimeRestoreDays int

@description('Days a previous version of a blob is kept before the lifecycle policy deletes it.')
@minValue(1)
param previousVersionDays int

@description('Days a file kept in the history container (for rollback) stays after it was first kept.')
@minValue(1)
param historyRetentionDays int

@description('Private container that holds the Functions app\'s deployment package.')
param deploymentContainerName string

@description('Name of the Event Grid system topic that publishes the account\'s blob events.')
param systemTopicName string

// The content the editors push, the social posts, the history rollback restores from, the drafts
// behind preview links, the deployment package: none of it is public.
// `$web` is not declared: enabling the static website creates it, and it is served only through
// the static website endpoint, never through anonymous blob access.
var privateContainerNames = [
  'content'
  'social'
  'history'
  'previews'
  deploymentContainerName
]

var tableNames = [
  'publications'
  'socialposts'
  'webhooks'
  'approvals'
]

resource account 'Microsoft.Storage/storageAccounts@2025-08-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    supportsHttpsTrafficOnly: true
    minimumTlsVersion: 'TLS1_2'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    isLocalUserEnabled: false
    isSftpEnabled: false
    isHnsEnabled: false
    // The static website is public by nature; everything else needs an Entra ID token.
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-08-01' = {
  parent: account
  name: 'default'
  properties: {
    // Every publish overwrites pages in $web; versions plus soft delete let a bad publish be undone,
    // blob by blob or, with point-in-time restore, for a whole container at once.
    isVersioningEnabled: true
    deleteRetentionPolicy: {
      enabled: true
      days: softDeleteDays
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: softDeleteDays
    }
    changeFeed: {
      enabled: true
      retentionInDays: softDeleteDays
    }
    restorePolicy: {
      enabled: true
      days: pointInTimeRestoreDays
    }
    // Since API version 2025-08-01 the static website is a property of the blob service, so it is
    // declared here instead of being switched on by a deployment script.
    staticWebsite: {
      enabled: true
      indexDocument: 'index.html'
      errorDocument404Path: '404.html'
    }
    // Associations' own scripts read pages, pages.json and feeds from the site: any origin may GET,
    // nothing else, and no credentials are involved.
    cors: {
      corsRules: [
        {
          allowedOrigins: ['*']
          allowedMethods: ['GET']
          allowedHeaders: ['if-none-match', 'if-modified-since']
          exposedHeaders: ['etag', 'last-modified', 'content-type', 'cache-control']
          maxAgeInSeconds: 86400
        }
      ]
    }
  }
}

resource privateContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-08-01' = [
  for containerName in privateContainerNames: {
    parent: blobService
    name: containerName
    properties: {
      publicAccess: 'None'
    }
  }
]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2025-08-01' = {
  parent: account
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-08-01' = [
  for tableName in tableNames: {
    parent: tableService
    name: tableName
  }
]

// Versions are what make a rollback possible, but every publish adds some; old ones go after a while.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2025-08-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'delete-old-versions'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
            }
            actions: {
              version: {
                delete: {
                  daysAfterCreationGreaterThan: previousVersionDays
                }
              }
            }
          }
        }
        // History keeps each published file's bytes in packs (before packs, whole files named by their
        // digest); rollback reaches back as far as this keeps them. Runs pack again what the site still
        // holds well before it ages out, and files still on the site are restored from the site itself.
        {
          name: 'age-out-history'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: [
                'history/files/'
                'history/packs/'
              ]
            }
            actions: {
              baseBlob: {
                delete: {
                  daysAfterModificationGreaterThan: historyRetentionDays
                }
              }
            }
          }
        }
        // The drafts behind preview links. A link lasts at most 30 days (PreviewLinks.MaxLifetime), and
        // each new link to a draft writes to it again, so none goes while a link to it still works.
        {
          name: 'age-out-preview-drafts'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: [
                'previews/drafts/'
              ]
            }
            actions: {
              baseBlob: {
                delete: {
                  daysAfterModificationGreaterThan: 32
                }
              }
            }
          }
        }
      ]
    }
  }
}

// Blob events feed the ContentChanged function; its subscription is added in the second pass
// (content-events.bicep), once the app is deployed and its webhook can answer.
resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: systemTopicName
  location: location
  tags: tags
  properties: {
    source: account.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output webEndpoint string = account.properties.primaryEndpoints.web
output systemTopicName string = systemTopic.name
