import { isPublicAddress, WebhookAddressGuard, WebhookRefused } from './address-guard';

describe('isPublicAddress', () => {
  it.each([
    '10.0.0.1',
    '127.0.0.1',
    '169.254.169.254',
    '172.16.5.4',
    '192.168.1.1',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '224.0.0.1',
    'not-an-ip',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });
  it.each(['93.184.216.34', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '172.32.0.1'])('accepts %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe('WebhookAddressGuard', () => {
  it('refuses literal private addresses and names resolving to loopback, unless allowed', async () => {
    const guard = new WebhookAddressGuard(' Localhost ,[::1]');
    await expect(new WebhookAddressGuard(undefined).check('http://localhost:8080/x')).rejects.toBeInstanceOf(WebhookRefused);
    await expect(new WebhookAddressGuard(undefined).check('http://192.168.0.10/x')).rejects.toThrow(/KODA_WEBHOOK_ALLOW_HOSTS/);
    await expect(guard.check('http://localhost:8080/x')).resolves.toBeUndefined();
    await expect(guard.check('http://[::1]:8080/x')).resolves.toBeUndefined();
    await expect(guard.check('http://127.0.0.1:8080/x')).rejects.toBeInstanceOf(WebhookRefused);
  });

  it('refuses at connection time too (a name that resolves to loopback when the request goes out)', async () => {
    const guard = new WebhookAddressGuard(undefined);
    const error = await new Promise<Error | null>((resolve) => guard.lookup('localhost', {}, (e) => resolve(e)));
    expect(error).toBeInstanceOf(WebhookRefused);
  });
});
