// The dev environment:  az deployment group create --resource-group <group> --parameters infra/dev.bicepparam
using 'main.bicep'

param environmentType = 'dev'

// Who may push the editors' content (the CLI's push) into the `content` container: an Entra ID group
// of editors, the content repository's sync pipeline. Object IDs, e.g. from
// `az ad signed-in-user show --query id -o tsv` or `az ad group show --group <name> --query id -o tsv`.
param contentWriters = []

// Publish what falls due every five minutes.
param publishSchedule = '0 */5 * * * *'

// Second pass (see the README): the host's blobs_extension key, which turns on the Event Grid
// subscription of the ContentChanged function. Read from the environment; never commit it.
param blobsExtensionKey = readEnvironmentVariable('BLOBS_EXTENSION_KEY', '')

// The app registration people sign in with to approve posts and open previews (see the README).
param signInClientId = readEnvironmentVariable('SIGN_IN_CLIENT_ID', '')
// Who hears when a social post fails, is unknown or is missed.
param alertEmail = readEnvironmentVariable('LONDONTORIES_ALERT_EMAIL', '')

// Who may approve posts and pages at all: Entra ID object ids, separated by commas (site.yaml chooses
// among them; editors can change site.yaml, not this).
param approvers = readEnvironmentVariable('LONDONTORIES_APPROVERS', '')
