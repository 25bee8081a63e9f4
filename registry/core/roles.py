"""The roles people hold, as Django groups. Created by a data migration."""

PRODUCT_OWNERS = "Product owners"
ARCHITECTS = "Architects"
VIEWERS = "Viewers"

ALL_ROLES = (PRODUCT_OWNERS, ARCHITECTS, VIEWERS)
