import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { MenuAction, MenuItemModel } from '../desktop-logic/menu-model.ts';

/** Turns a menu model into an Electron menu, wiring actions to `run`. */
export function buildMenu(items: MenuItemModel[], run: (action: MenuAction) => void): Menu {
  return Menu.buildFromTemplate(items.map((item) => toTemplate(item, run)));
}

function toTemplate(item: MenuItemModel, run: (action: MenuAction) => void): MenuItemConstructorOptions {
  switch (item.kind) {
    case 'separator':
      return { type: 'separator' };
    case 'role':
      return { role: item.role };
    case 'submenu':
      return { label: item.label, submenu: item.items.map((i) => toTemplate(i, run)) };
    case 'action':
      return {
        label: item.label,
        ...(item.checked === undefined ? {} : { type: 'checkbox' as const, checked: item.checked }),
        ...(item.accelerator === undefined ? {} : { accelerator: item.accelerator }),
        click: () => run(item.action),
      };
  }
}
