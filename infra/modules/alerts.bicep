// Someone hears about it when a social post does not go out: every failed, unknown or missed
// delivery is a structured log event (DeliveryFailed, DeliveryUnknown, DeliveryMissed), and so is a
// channel token that is due for renewal and could not be renewed (SecretNotRenewed), heard of before
// it lapses, and so is an authorisation that no renewal extends, a month before it ends
// (AuthorisationEnding: LinkedIn's refresh token lasts a year); this rule looks for them every five minutes and mails the action group.

param location string
import { Tags } from '../types.bicep'
param tags Tags
param workspaceName string
param actionGroupName string
param alertRuleName string

@description('Where delivery alerts are mailed; empty leaves the action group without a receiver.')
param alertEmail string

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-02-01' existing = {
  name: workspaceName
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: actionGroupName
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'ltdelivery'
    enabled: true
    emailReceivers: empty(alertEmail)
      ? []
      : [
          {
            name: 'delivery-alerts'
            emailAddress: alertEmail
            useCommonAlertSchema: true
          }
        ]
  }
}

resource deliveryAlert 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: alertRuleName
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'Social posts not delivered'
    description: 'A social post failed, is unknown (a person must check the platform and run posts --confirm) or was missed.'
    severity: 2
    enabled: true
    scopes: [
      workspace.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    criteria: {
      allOf: [
        {
          query: 'AppTraces | where tostring(Properties.EventName) in ("DeliveryFailed", "DeliveryUnknown", "DeliveryMissed", "SecretNotRenewed", "AuthorisationEnding") or Message startswith "Social delivery failed" or Message startswith "Social delivery unknown" or Message startswith "Social delivery missed" or Message startswith "Social delivery used a token due for renewal as it is" or Message startswith "Social channel authorisation ends soon"'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: [
        actionGroup.id
      ]
    }
  }
}

output actionGroupName string = actionGroup.name
