from django.dispatch import receiver

from services.accounts.workflow import account_deleting

from .booking import forget_person


@receiver(account_deleting)
def forget_deleted_account(sender, user, **kwargs):
    forget_person(user)
