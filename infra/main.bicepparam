// The parameters azd uses (azure.yaml: infra/main.bicep). azd passes its environment's values
// (.azure/<name>/.env) as environment variables; `azd env set NAME value` changes them.
using 'main.bicep'

param environmentType = readEnvironmentVariable('LONDONTORIES_ENVIRONMENT', 'dev') == 'prod' ? 'prod' : 'dev'

param tags = {
  'azd-env-name': readEnvironmentVariable('AZURE_ENV_NAME', 'londontories')
}

// azd sets AZURE_PRINCIPAL_ID to whoever runs it, so the person who provisions can push content.
var principalId = readEnvironmentVariable('AZURE_PRINCIPAL_ID', '')
param contentWriters = empty(principalId)
  ? []
  : [
      {
        principalId: principalId
        principalType: readEnvironmentVariable('AZURE_PRINCIPAL_TYPE', 'User') == 'ServicePrincipal'
          ? 'ServicePrincipal'
          : 'User'
      }
    ]

// Set by the postdeploy hook (infra/hooks/subscribe-content-events.sh) for the second pass.
param blobsExtensionKey = readEnvironmentVariable('BLOBS_EXTENSION_KEY', '')

// The app registration people sign in with to approve posts and open previews (see the README).
param signInClientId = readEnvironmentVariable('SIGN_IN_CLIENT_ID', '')
// Who hears when a social post fails, is unknown or is missed.
param alertEmail = readEnvironmentVariable('LONDONTORIES_ALERT_EMAIL', '')

// Who may approve posts and pages at all: Entra ID object ids, separated by commas (site.yaml chooses
// among them; editors can change site.yaml, not this).
param approvers = readEnvironmentVariable('LONDONTORIES_APPROVERS', '')
