// The one identity the Functions app runs as. It holds no secrets; its roles are granted in access.bicep.

param name string
param location string
import { Tags } from '../types.bicep'
param tags Tags

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

output name string = identity.name
output principalId string = identity.properties.principalId
