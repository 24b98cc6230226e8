import type { Command } from 'commander';
import { readStdin, withServices } from './cli-context.ts';

export function userCommands(program: Command) {
  const user = program.command('user').description('manage the local user pool');

  user
    .command('add <name>')
    .description('add a user; the password is read from standard input')
    .option('--admin', 'make the user an admin')
    .option('--display-name <text>', 'the name others see in the recipient picker')
    .action(async (name: string, opts: { admin?: boolean; displayName?: string }) => {
      const password = await readStdin();
      await withServices(async (s) => {
        const u = await s.users.addUser({
          username: name,
          password,
          ...(opts.displayName ? { displayName: opts.displayName } : {}),
          admin: opts.admin ?? false,
        });
        process.stdout.write(`added ${u.username}${u.admin ? ' (admin)' : ''}\n`);
      });
    });

  user
    .command('passwd <name>')
    .description("set a user's password from standard input")
    .action(async (name: string) => {
      const password = await readStdin();
      await withServices(async (s) => {
        await s.users.setPassword(name, password);
        process.stdout.write(`password changed for ${name}\n`);
      });
    });

  user
    .command('list')
    .description('list users')
    .action(() =>
      withServices(async (s) => {
        let cursor: string | undefined;
        do {
          const page = await s.users.listUsers({ limit: 200, ...(cursor ? { cursor } : {}) });
          for (const u of page.items)
            process.stdout.write(`${u.username}\t${u.displayName}${u.admin ? '\tadmin' : ''}\n`);
          cursor = page.cursor;
        } while (cursor);
      }),
    );

  user
    .command('remove <name>')
    .description('remove a user (their sessions stop working at once)')
    .action((name: string) =>
      withServices(async (s) => {
        await s.users.removeUser(name);
        process.stdout.write(`removed ${name}\n`);
      }),
    );
}
