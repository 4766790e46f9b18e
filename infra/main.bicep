metadata description = 'LondonTories: storage and static website, the Functions app on Flex Consumption, its identity, monitoring and content events, in one resource group.'

targetScope = 'resourceGroup'

import { ContentWriter, EnvironmentType, Tags } from 'types.bicep'

@description('dev or prod; sizing and retention follow from it (see `profiles`).')
param environmentType EnvironmentType

@description('Region for every resource; it must offer the Flex Consumption plan (and zone-redundant storage for prod).')
param location string = resourceGroup().location

@description('Start of every resource name: lowercase letters, digits and hyphens, 3 to 12 characters.')
@minLength(3)
@maxLength(12)
param namePrefix string = 'londontories'

@description('Tags added to every resource.')
param tags Tags = {}

@description('Users, groups or service principals that push the editors\' content into the `content` container.')
param contentWriters ContentWriter[] = []

@description('NCRONTAB schedule (UTC) of the timer that publishes what falls due.')
param publishSchedule string = '0 */5 * * * *'

@description('Share of the published files one run may delete before it refuses (the deletion guard).')
param maxDeleteShare string = '0.25'

@description('How late a scheduled social post may still go out (hh:mm:ss).')
param socialGracePeriod string = '06:00:00'

@description('Hosts beyond each platform\'s own API that a channel\'s secret may be sent to, separated by commas: a Mastodon instance, a Bluesky PDS of your own.')
param channelHosts string = ''

@description('Days the history container keeps each published file, so far back can the site be rolled back.')
@minValue(1)
param historyRetentionDays int = 180

@description('Entra ID object ids of everyone who may approve, separated by commas. site.yaml, which editors can change, may only choose among them; empty leaves site.yaml alone to decide, and every run warns of it.')
param approvers string = ''

@description('What needs approval whatever site.yaml says.')
@allowed([
  ''
  'sponsored'
  'pages'
  'sponsored,pages'
])
param approvalRequired string = 'sponsored'

@description('Client ID of the Entra ID app registration people sign in to the Functions app with (approvals, previews). Empty leaves sign-in off, and approving over HTTP with it.')
param signInClientId string = ''
@description('Email address that hears when a social post fails, is unknown or is missed; empty sends no mail.')
param alertEmail string = ''

@secure()
@description('Second pass only: the Functions host\'s blobs_extension system key. Empty on the first pass, which leaves out the Event Grid subscription of the ContentChanged function.')
param blobsExtensionKey string = ''

var profiles = {
  dev: {
    storageSku: 'Standard_LRS'
    softDeleteDays: 7
    pointInTimeRestoreDays: 6
    previousVersionDays: 14
    logRetentionDays: 30
    maximumInstanceCount: 40
  }
  prod: {
    storageSku: 'Standard_ZRS'
    softDeleteDays: 30
    pointInTimeRestoreDays: 29
    previousVersionDays: 90
    logRetentionDays: 90
    maximumInstanceCount: 100
  }
}
var profile = profiles[environmentType]

var allTags = union(tags, {
  application: 'londontories'
  environment: environmentType
})

// Storage account and Functions app names are global; the suffix keeps them unique per resource group.
var suffix = take(uniqueString(subscription().id, resourceGroup().id, namePrefix, environmentType), 6)
var baseName = '${namePrefix}-${environmentType}'
var names = {
  identity: 'id-${baseName}'
  storageAccount: take('st${replace(namePrefix, '-', '')}${environmentType}${suffix}', 24)
  systemTopic: 'evgt-${baseName}-storage'
  logAnalytics: 'log-${baseName}'
  applicationInsights: 'appi-${baseName}'
  plan: 'plan-${baseName}'
  functionApp: 'func-${baseName}-${suffix}'
  keyVault: take('kv${replace(namePrefix, '-', '')}${environmentType}${suffix}', 24)
  actionGroup: 'ag-${baseName}-delivery'
  deliveryAlert: 'alert-${baseName}-delivery'
}
var deploymentContainerName = 'app-package'

module identity 'modules/identity.bicep' = {
  params: {
    name: names.identity
    location: location
    tags: allTags
  }
}

module storage 'modules/storage.bicep' = {
  params: {
    name: names.storageAccount
    location: location
    tags: allTags
    skuName: profile.storageSku
    softDeleteDays: profile.softDeleteDays
    pointInTimeRestoreDays: profile.pointInTimeRestoreDays
    previousVersionDays: profile.previousVersionDays
    historyRetentionDays: historyRetentionDays
    deploymentContainerName: deploymentContainerName
    systemTopicName: names.systemTopic
  }
}

module monitoring 'modules/monitoring.bicep' = {
  params: {
    workspaceName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    location: location
    tags: allTags
    retentionDays: profile.logRetentionDays
  }
}

module access 'modules/access.bicep' = {
  params: {
    storageAccountName: names.storageAccount
    applicationInsightsName: names.applicationInsights
    identityName: names.identity
    deploymentContainerName: deploymentContainerName
    contentWriters: contentWriters
  }
  dependsOn: [
    identity
    storage
    monitoring
  ]
}

module keyVault 'modules/key-vault.bicep' = {
  params: {
    name: names.keyVault
    location: location
    tags: allTags
    identityName: names.identity
  }
  dependsOn: [
    identity
  ]
}

module alerts 'modules/alerts.bicep' = {
  params: {
    location: location
    tags: allTags
    workspaceName: names.logAnalytics
    actionGroupName: names.actionGroup
    alertRuleName: names.deliveryAlert
    alertEmail: alertEmail
  }
  dependsOn: [
    monitoring
  ]
}

module functionApp 'modules/function-app.bicep' = {
  params: {
    planName: names.plan
    functionAppName: names.functionApp
    location: location
    tags: allTags
    identityName: names.identity
    storageAccountName: names.storageAccount
    applicationInsightsName: names.applicationInsights
    deploymentContainerName: deploymentContainerName
    maximumInstanceCount: profile.maximumInstanceCount
    publishSchedule: publishSchedule
    maxDeleteShare: maxDeleteShare
    socialGracePeriod: socialGracePeriod
    channelHosts: channelHosts
    approvers: approvers
    approvalRequired: approvalRequired
    historyRetentionDays: historyRetentionDays
    signInClientId: signInClientId
    keyVaultUri: keyVault.outputs.uri
  }
  // The host starts as soon as the app exists; its identity should already hold its roles.
  dependsOn: [
    access
  ]
}

module contentEvents 'modules/content-events.bicep' = if (!empty(blobsExtensionKey)) {
  params: {
    systemTopicName: names.systemTopic
    functionAppName: names.functionApp
    blobsExtensionKey: blobsExtensionKey
  }
  dependsOn: [
    storage
    functionApp
  ]
}

// Names azd keeps in its environment, and the deployment steps in the README read.
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
@description('What `push --storage` takes.')
output STORAGE_BLOB_URL string = storage.outputs.blobEndpoint
@description('The published site.')
output SITE_URL string = storage.outputs.webEndpoint
@description('Where the channels\' secrets go: az keyvault secret set --vault-name <name> --name <secret> --value ...')
output VAULT_NAME string = keyVault.outputs.name
output FUNCTION_APP_URL string = 'https://${functionApp.outputs.defaultHostName}'
