// Names and shapes that main.bicep and the modules must agree on.

@export()
@description('The Key Vault secrets behind the app\'s secret settings, by what they hold.')
var secretNames = {
  adminApiKey: 'admin-api-key'
  linkSigningKey: 'link-signing-key'
  previousLinkSigningKey: 'link-signing-key-previous'
  couponCodeSecret: 'coupon-code-secret'
  sendGridApiKey: 'sendgrid-api-key'
}

@export()
@description('The secret holding a store\'s Shopify app secret or WooCommerce webhook secret; the operator sets it.')
func storeWebhookSecretName(storeId string) string => 'store-${storeId}-webhook-secret'

// azd's secretOrRandomPassword gives 15 characters the first time and the stored secret after that.
// A stored key of 32 or more is used as it is, so links and codes survive redeployment; a shorter
// one (the first run) is lengthened with fresh random characters, because the app refuses link
// keys under 32 characters.
@export()
@description('The secret as it is when it has 32 characters or more, else the secret followed by fill.')
func atLeast32(secret string, fill string) string => length(secret) >= 32 ? secret : '${secret}${fill}'

@export()
@description('A connected store, emitted as Automation__Stores__{id}__* settings.')
type store = {
  @description('Store id as it appears in webhook URLs (/api/webhooks/shopify/{id}): lower-case letters and digits.')
  @minLength(1)
  @maxLength(50)
  id: string

  @description('The store\'s name as recipients know it.')
  name: string

  platform: 'shopify' | 'woocommerce' | 'custom'

  @description('IANA time zone for customers whose own is unknown, e.g. Europe/Madrid.')
  timeZone: string

  @description('Default locale for its customers, e.g. es.')
  locale: string

  @description('ISO 4217 currency, e.g. EUR.')
  @minLength(3)
  @maxLength(3)
  currency: string

  @description('ISO 3166 country, e.g. ES.')
  country: string

  @description('Sender address: a verified sender or on an authenticated domain in SendGrid.')
  fromEmail: string

  @description('Postal address in every email\'s footer (CAN-SPAM); marketing email is refused without it.')
  physicalAddress: string

  @description('Shopify only: the *.myshopify.com domain deliveries must come from.')
  shopDomain: string?

  @description('SendGrid unsubscribe group (asm.group_id) of the store\'s marketing email.')
  unsubscribeGroupId: int?
}

@export()
@description('The secret holding the Authorization header value of a notify webhook; the operator sets it.')
func notifyWebhookAuthorizationSecretName(name string) string => 'webhook-${replace(name, '_', '-')}-authorization'

@export()
@description('Where a notify step posts (journeys/catalog.json names it), emitted as Automation__Webhooks__{name}__* settings.')
type notifyWebhook = {
  @description('The catalog\'s webhook name, e.g. support-desk (set as support_desk: app setting names take no \'-\').')
  @minLength(1)
  @maxLength(50)
  name: string

  @description('The https URL the JSON is posted to.')
  url: string

  @description('Whether the receiver wants an Authorization header; its value goes in the vault as webhook-{name}-authorization.')
  hasAuthorization: bool?
}

