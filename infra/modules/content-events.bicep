// Second pass: the Event Grid subscription that delivers the `content` container's blob events to
// the ContentChanged function (a blob trigger with Source = EventGrid). Event Grid validates a
// webhook when the subscription is created, and the blobs extension only answers once the code is
// deployed and running, with a system key that exists only from then on. So this module is
// deployed after the code, when main.bicep is given that key.

param systemTopicName string
param functionAppName string

@secure()
@description('The Functions host\'s `blobs_extension` system key.')
param blobsExtensionKey string

@description('The blob-triggered function, as named by its [Function] attribute.')
param functionName string = 'ContentChanged'

@description('The container whose changes trigger it.')
param containerName string = 'content'

resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' existing = {
  name: systemTopicName
}

resource functionApp 'Microsoft.Web/sites@2025-03-01' existing = {
  name: functionAppName
}

resource contentChanged 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: systemTopic
  name: 'content-changed'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: 'https://${functionApp.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.${functionName}&code=${blobsExtensionKey}'
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: [
        'Microsoft.Storage.BlobCreated'
      ]
      subjectBeginsWith: '/blobServices/default/containers/${containerName}/'
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}
