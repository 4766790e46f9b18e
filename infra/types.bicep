// Types shared by main.bicep and its modules.

@export()
@description('Which environment a resource group holds; sizing and retention follow from it.')
type EnvironmentType = 'dev' | 'prod'

@export()
@description('Tags put on every resource.')
type Tags = {
  *: string
}

@export()
@description('Someone allowed to write the editors\' content into the `content` container (the CLI\'s push).')
type ContentWriter = {
  @description('Object ID of the user, group or service principal in Microsoft Entra ID.')
  principalId: string

  principalType: 'User' | 'Group' | 'ServicePrincipal'
}
